using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Config;

/// <summary>matrix and repeats: one entry of backbones becomes named variants, each trained with its own key.</summary>
public sealed class VariantConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public VariantConfigTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    private string[] Head() => ["name: exp", "dataset:", "  kind: folder", $"  path: {_data}"];

    [Fact]
    public void Precision_is_sweepable_so_one_file_compares_fp32_with_mixed_precision()
    {
        var spec = Yaml.Parse(Yaml.Lines([.. Head(), "backbones:", "  - { name: resnet18, matrix: { precision: [fp32, amp_bf16] } }"]));

        Assert.Equal(["resnet18.precision-fp32", "resnet18.precision-amp_bf16"], spec.Backbones.Select(b => b.Name));
        Assert.Equal(["fp32", "amp_bf16"], spec.Backbones.Select(b => b.Precision));
        // Each is timed in its own precision.
        Assert.Equal(["resnet18.precision-fp32", "resnet18.precision-amp_bf16"], spec.Backbones.Select(b => b.TimedBy()));
    }

    [Fact]
    public void Matrix_and_repeats_expand_into_readable_names_in_file_order_with_the_swept_settings()
    {
        var spec = Yaml.Parse(Yaml.Lines([.. Head(),
            "defaults: { epochs: 1, image_size: 64, optimizer: { name: sgd, lr: 0.1 }, repeats: { seeds: [1, 2] } }",
            "matrix: { optimizer.lr: [1.0e-3, 3.0e-3] }",
            "backbones:",
            "  - { name: resnet18, matrix: { image_size: [32, 48] } }",
            "  - { name: mobilenet_v2, repeats: null }"]));

        Assert.Equal([
            "resnet18.lr1e-3.size32.seed1", "resnet18.lr1e-3.size32.seed2", "resnet18.lr1e-3.size48.seed1", "resnet18.lr1e-3.size48.seed2",
            "resnet18.lr3e-3.size32.seed1", "resnet18.lr3e-3.size32.seed2", "resnet18.lr3e-3.size48.seed1", "resnet18.lr3e-3.size48.seed2",
            "mobilenet_v2.lr1e-3", "mobilenet_v2.lr3e-3"], spec.Backbones.Select(b => b.Name));
        var variant = spec.Backbones[6];
        Assert.Equal((0.003, "sgd", 48, 1, "resnet18"),
            (variant.Optimizer.Lr, variant.Optimizer.Name, variant.ImageSize, variant.Seed, variant.Arch));
        Assert.Equal(("resnet18", "resnet18.lr3e-3.size48"), (variant.Variant!.Base, variant.Variant.Group));
        Assert.Equal([1, 2], variant.Variant.Seeds!);
        Assert.Equal([new SweptValue("optimizer.lr", 0.003), new SweptValue("image_size", 48)], variant.Variant.Swept);
        Assert.Equal("resnet18.lr3e-3.size48.seed1", variant.TimedBy());
        Assert.Null(spec.Backbones[8].Variant!.Seeds);
        Assert.Equal(42, spec.Backbones[8].Seed);
    }

    [Fact]
    public void A_backbone_without_matrix_or_repeats_keeps_its_name_and_no_variant()
    {
        var spec = Yaml.Parse(Yaml.Basic(_data));

        Assert.Equal(["resnet18", "mobilenet_v2"], spec.Backbones.Select(b => b.Name));
        Assert.All(spec.Backbones, b => Assert.Null(b.Variant));
    }

    [Fact]
    public void Text_values_name_variants_with_a_dash()
    {
        var spec = Yaml.Parse(Yaml.Lines([.. Head(), "backbones:",
            "  - { name: resnet18, matrix: { trainable: [head, last-2], weights: [none] } }"]));

        Assert.Equal(["resnet18.trainable-head.weights-none", "resnet18.trainable-last-2.weights-none"], spec.Backbones.Select(b => b.Name));
        Assert.Equal(["head", "last-2"], spec.Backbones.Select(b => b.Trainable));
    }

    [Theory]
    [InlineData("matrix: { seed: [1, 2] }", 5, 11, "use repeats")]
    [InlineData("matrix: { schedule.name: [cosine] }", 5, 11, "'schedule.name' cannot be swept; sweepable: image_size")]
    [InlineData("matrix: { optimizr.lr: [0.1] }", 5, 11, "unknown key 'optimizr.lr' (did you mean 'optimizer.lr'?)")]
    [InlineData("matrix: { image_size: [32, 2] }", 5, 28, "matrix.image_size: 2 is out of range [8, 4096]")]
    [InlineData("matrix: { image_size: [32, 32] }", 5, 28, "the value '32' is listed twice")]
    [InlineData("matrix: { optimizer.lr: [1e-3, 0.001] }", 5, 32, "the value '0.001' is listed twice")]
    [InlineData("matrix: { image_size: 32 }", 5, 23, "expected a non-empty list")]
    [InlineData("matrix: { augment: [heavy] }", 5, 21, "no augmentation named 'heavy'")]
    public void Matrix_problems_point_at_the_key_or_value(string line, int row, int column, string message)
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), line, "backbones:", "  - resnet18"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((row, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("repeats: { seeds: [1, x] }", 5, 35, "defaults.repeats.seeds[1]: a seed is a whole number ≥ 0, got 'x'")]
    [InlineData("repeats: { seeds: [1, -2] }", 5, 35, "got '-2'")]
    [InlineData("repeats: { seeds: [3, 3] }", 5, 35, "seed 3 is listed twice")]
    [InlineData("repeats: { seeds: [3] }", 5, 31, "list 2 to 100 seeds")]
    [InlineData("repeats: { seed: [3, 4] }", 5, 24, "unknown key 'seed' in 'defaults.repeats' (did you mean 'seeds'?)")]
    public void Bad_seeds_point_at_the_seed(string repeats, int row, int column, string message)
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), $"defaults: {{ {repeats} }}", "backbones:", "  - resnet18"]));

        Assert.Contains(e.Errors, x => (x.Line, x.Column) == (row, column) && x.Message.Contains(message));
    }

    [Fact]
    public void A_variant_name_that_collides_with_another_backbone_is_an_error()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "backbones:",
            "  - { name: resnet18, repeats: { seeds: [1, 2] } }",
            "  - { name: resnet18.seed2, arch: resnet18 }"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((7, 13), (error.Line, error.Column));
        Assert.Contains("backbone 'resnet18.seed2' is listed twice (a variant of 'resnet18')", error.Message);
    }

    [Fact]
    public void An_ensemble_naming_an_expanded_backbone_lists_its_variants()
    {
        var e = Yaml.Fails(Yaml.Lines([.. Head(), "backbones:",
            "  - { name: resnet18, repeats: { seeds: [1, 2] } }",
            "  - mobilenet_v2",
            "ensembles:",
            "  pair: { members: [resnet18, mobilenet_v2], method: mean }"]));

        var error = Assert.Single(e.Errors);
        Assert.Equal((9, 21), (error.Line, error.Column));
        Assert.Contains("'resnet18' was expanded by matrix/repeats; name one of its variants: resnet18.seed1, resnet18.seed2", error.Message);
    }

    [Fact]
    public void Ensembles_name_variants()
    {
        var spec = Yaml.Parse(Yaml.Lines([.. Head(), "backbones:",
            "  - { name: resnet18, repeats: { seeds: [1, 2] } }",
            "ensembles:",
            "  seeds: { members: [resnet18.seed1, resnet18.seed2], method: mean }"]));

        Assert.Equal(["resnet18.seed1", "resnet18.seed2"], Assert.Single(spec.Ensembles).Members);
    }

    [Fact]
    public void Each_variant_trains_with_its_own_key_and_repeats_are_timed_once()
    {
        var plan = Yaml.Plan(Yaml.Parse(Yaml.Lines([.. Head(), "backbones:",
            "  - { name: resnet18, matrix: { optimizer.lr: [0.01, 0.02] }, repeats: { seeds: [1, 2, 3] } }"])));
        var tasks = plan.Tasks.ToDictionary(t => t.Id.ToString());

        var trains = tasks.Values.Where(t => t.Kind == TrainKind.Name).ToList();
        Assert.Equal(6, trains.Count);
        Assert.Equal(6, trains.Select(t => t.Key).Distinct().Count());
        Assert.Equal(["time:resnet18.lr0.01.seed1", "time:resnet18.lr0.02.seed1"],
            tasks.Values.Where(t => t.Kind == TimeKind.Name).Select(t => t.Id.ToString()));
        Assert.Equal(["train:resnet18.lr0.01.seed1"], tasks["time:resnet18.lr0.01.seed1"].DependsOn);
        Assert.Equal(12, tasks["report"].DependsOn.Count(d => d.StartsWith("train:", StringComparison.Ordinal)
            || d.StartsWith("eval:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0.003, "3e-3")]
    [InlineData(0.001, "1e-3")]
    [InlineData(0.00025, "2.5e-4")]
    [InlineData(0.1, "0.1")]
    [InlineData(224, "224")]
    [InlineData(1.5, "1.5")]
    public void Numbers_in_names_are_short(double value, string text) => Assert.Equal(text, VariantNames.Number(value));
}
