using Runner.Core.Config;
using Runner.Core.Ensembles;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Config;

/// <summary>The <c>ensembles:</c> section: defaults per method, and every mistake reported at its line and column.</summary>
public sealed class EnsembleConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public EnsembleConfigTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    private static readonly FakeArchCatalog Archs = new(new Dictionary<string, int> { ["resnet18"] = 32, ["mobilenet_v2"] = 32, ["xception"] = 299 });

    /// <summary>Three backbones (lines 5–8), then the given lines from line 9 on.</summary>
    private string Experiment(params string[] ensembles) => Yaml.Lines([
        "name: exp", "dataset:", "  kind: folder", $"  path: {_data}",
        "backbones:", "  - resnet18", "  - mobilenet_v2", "  - xception",
        .. ensembles]);

    private ConfigError OnlyError(params string[] ensembles) => Assert.Single(Yaml.Fails(Experiment(ensembles), Archs).Errors);

    [Fact]
    public void Methods_get_their_defaults_and_only_the_settings_that_apply()
    {
        var spec = Yaml.Parse(Experiment(
            "ensembles:",
            "  classic: { members: [resnet18, mobilenet_v2, xception] }",
            "  avg: { members: [resnet18, xception], method: mean }",
            "  lr: { members: [resnet18, xception], method: logistic, inputs: features, folds: 5, epochs: 20 }"), Archs);

        var classic = spec.Ensembles[0];
        Assert.Equal(("classic", "stacking", "logits"), (classic.Name, classic.Method, classic.Inputs));
        Assert.Equal([32, 8], classic.Hidden);
        Assert.Equal(["resnet18", "mobilenet_v2", "xception"], classic.Members);
        Assert.Equal((EnsembleSpec.DefaultEpochs, 0), (classic.Epochs, classic.Folds));
        Assert.Equal(("mean", "probabilities"), (spec.Ensembles[1].Method, spec.Ensembles[1].Inputs));
        Assert.Empty(spec.Ensembles[1].Hidden);
        Assert.Equal(("features", 5, 20), (spec.Ensembles[2].Inputs, spec.Ensembles[2].Folds, spec.Ensembles[2].Epochs));
    }

    [Fact]
    public void An_ensemble_needs_two_members()
    {
        var error = OnlyError("ensembles:", "  solo: { members: [resnet18] }");
        Assert.Equal((10, 20), (error.Line, error.Column));
        Assert.Contains("ensembles.solo.members: an ensemble needs at least two members, got 1", error.Message);
    }

    [Fact]
    public void An_unknown_member_suggests_the_backbone_meant()
    {
        var error = OnlyError("ensembles:", "  classic:", "    members: [resnet18, mobilenet_v3]");
        Assert.Equal((11, 25), (error.Line, error.Column));
        Assert.Contains("ensembles.classic.members[1]: no backbone named 'mobilenet_v3' (did you mean 'mobilenet_v2'?)", error.Message);
    }

    [Fact]
    public void A_member_named_twice_is_reported_at_the_second_mention()
    {
        var error = OnlyError("ensembles:", "  classic:", "    members: [resnet18, xception, resnet18]");
        Assert.Equal((11, 35), (error.Line, error.Column));
        Assert.Contains("'resnet18' is listed twice", error.Message);
    }

    [Fact]
    public void An_ensemble_cannot_contain_an_ensemble()
    {
        var error = OnlyError("ensembles:", "  a: { members: [resnet18, xception] }", "  b: { members: [a, mobilenet_v2] }");
        Assert.Equal((11, 18), (error.Line, error.Column));
        Assert.Contains("'a' is an ensemble; members must be backbones", error.Message);
    }

    [Fact]
    public void Unknown_method_and_unknown_key_suggest_the_right_one()
    {
        var errors = Yaml.Fails(Experiment("ensembles:", "  a: { members: [resnet18, xception], method: stackin, hiden: [4] }"), Archs).Errors;

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("'stackin' is not one of stacking, mean, weighted, logistic (did you mean 'stacking'?)") && e.Column == 47);
        Assert.Contains(errors, e => e.Message.Contains("unknown key 'hiden' in 'ensembles.a' (did you mean 'hidden'?)") && e.Column == 56);
    }

    [Theory]
    [InlineData("method: mean, hidden: [4]", "ensembles.a.hidden: does not apply to method 'mean'")]
    [InlineData("method: weighted, epochs: 3", "ensembles.a.epochs: does not apply to method 'weighted'")]
    [InlineData("method: mean, folds: 3", "ensembles.a.folds: does not apply to method 'mean'")]
    [InlineData("method: mean, inputs: logits", "method 'mean' combines member probabilities; 'logits' needs stacking or logistic")]
    [InlineData("method: logistic, hidden: [4]", "ensembles.a.hidden: does not apply to method 'logistic'")]
    [InlineData("folds: 1", "ensembles.a.folds: use 0")]
    public void Settings_that_do_not_apply_to_the_method_are_rejected(string settings, string message)
    {
        var error = OnlyError("ensembles:", $"  a: {{ members: [resnet18, xception], {settings} }}");
        Assert.Equal(10, error.Line);
        Assert.Contains(message, error.Message);
    }

    private static readonly Dictionary<string, string> SettingValues = new()
    {
        [EnsembleSetting.Hidden] = "[4]", [EnsembleSetting.Epochs] = "3", [EnsembleSetting.Lr] = "0.5",
        [EnsembleSetting.BatchSize] = "7", [EnsembleSetting.Folds] = "3",
    };

    [Fact]
    public void Each_registered_method_accepts_keys_and_fits_with_exactly_the_settings_it_declares()
    {
        foreach (var method in EnsembleMethods.All)
        {
            foreach (var setting in EnsembleSetting.All.Where(s => !method.Uses(s)))
                Assert.Contains($"ensembles.a.{setting}: does not apply to method '{method.Name}'",
                    OnlyError("ensembles:", $"  a: {{ members: [resnet18, xception], method: {method.Name}, {setting}: {SettingValues[setting]} }}").Message);

            var used = string.Join(", ", method.Settings.Select(s => $"{s}: {SettingValues[s]}"));
            var spec = Yaml.Parse(Experiment("ensembles:",
                $"  a: {{ members: [resnet18, xception], method: {method.Name}{(used.Length > 0 ? ", " + used : "")} }}"), Archs);
            var parameters = EnsembleParams.Of(Assert.Single(spec.Ensembles));
            Assert.Equal(method.Uses(EnsembleSetting.Hidden) ? [4] : [], parameters.Hidden);
            Assert.Equal(method.Uses(EnsembleSetting.Epochs) ? 3 : EnsembleSpec.DefaultEpochs, parameters.Epochs);
            Assert.Equal(method.Uses(EnsembleSetting.Lr) ? 0.5 : EnsembleSpec.DefaultLr, parameters.Lr);
            Assert.Equal(method.Uses(EnsembleSetting.BatchSize) ? 7 : EnsembleSpec.DefaultBatchSize, parameters.BatchSize);
            Assert.Equal(method.Uses(EnsembleSetting.Folds) ? 3 : 0, parameters.Folds);
            Assert.Equal(method.Trains ? "logits" : "probabilities", parameters.Inputs);
            Assert.NotNull(method.Create(parameters));
        }
    }
}
