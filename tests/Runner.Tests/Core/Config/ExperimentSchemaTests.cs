extern alias JsonSchemaNet;
using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Schema;
using Runner.Core.Config;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;

namespace Runner.Tests.Core.Config;

/// <summary>docs/experiment.schema.json: generated from the loader's key tables, committed, and what the shipped experiments point at.</summary>
public sealed class ExperimentSchemaTests
{
    private static readonly string Root = ReferenceFixtures.RepoRoot();
    private static readonly JsonSchema Schema = JsonSchema.FromText(ExperimentSchema.Render(ArchRegistry.Default.Names));

    private static List<string> Problems(JsonNode? instance)
    {
        var result = Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
    }

    public static TheoryData<string> ShippedExperiments() =>
        [.. Directory.GetFiles(Path.Combine(ReferenceFixtures.RepoRoot(), "experiments"), "*.yaml")
            .Select(f => Path.GetFileName(f))];

    [Fact]
    public void The_committed_schema_is_what_runner_schema_prints()
    {
        var committed = File.ReadAllText(Path.Combine(Root, ExperimentSchema.CommittedPath));
        Assert.True(committed == ExperimentSchema.Render(ArchRegistry.Default.Names),
            $"{ExperimentSchema.CommittedPath} is out of date; regenerate it with: ./runner schema > {ExperimentSchema.CommittedPath}");
    }

    [Fact]
    public void Every_key_the_loader_accepts_has_its_value_described()
    {
        var undescribed = ExperimentSchema.Generate(ArchRegistry.Default.Names).Undescribed;
        Assert.True(undescribed.Count == 0, $"describe the value of {string.Join(", ", undescribed)} in ExperimentSchema.ValueOf");
    }

    [Theory]
    [MemberData(nameof(ShippedExperiments))]
    public void A_shipped_experiment_validates_and_points_editors_at_the_schema(string name)
    {
        var text = File.ReadAllText(Path.Combine(Root, "experiments", name));

        Assert.StartsWith("# yaml-language-server: $schema=../docs/experiment.schema.json\n", text);
        Assert.Empty(Problems(YamlAsJson.Read(text)));
    }

    [Fact]
    public void The_test_experiment_and_one_using_every_section_validate_and_load()
    {
        using var data = new TempDir();
        Assert.Empty(Problems(YamlAsJson.Read(Yaml.Basic(data.Path))));
        var full = Yaml.Lines(
            "name: full",
            $"dataset: {{ kind: filename-pattern, path: {data.Path}, labels: {{ a: '^a', b: '^b' }}, classes: [a, b], on_bad_image: skip, split: {{ validation: 0.2, test: 0.2, stratify: false, seed: 1 }} }}",
            "augmentations:",
            "  all:",
            "    - hflip",
            "    - vflip:",
            "    - random_resized_crop: { p: 0.3, scale: [0.5, 1.0], ratio: 1 }",
            "    - cutout: { fill: 0 }",
            "    - cutout: { fill: mean, size: 0.2 }",
            "defaults: { epochs: 2, optimizer: { name: sgd, lr: 1.0e-2, momentum: 0.9, nesterov: true }, schedule: { name: step, step_size: 2 }, grad_clip: null, early_stopping: { patience: 2 }, trainable: last-2, augment: all }",
            "backbones:",
            "  - resnet18",
            "  - { name: small, arch: mobilenet_v2, weights: imagenet, early_stopping: null }",
            "timing: { warmup: 1, iterations: 2, batch_sizes: [1, 8] }",
            "report: { output: reports/full }",
            "evaluation: { tta: hflip }",
            "ensembles:",
            "  both: { members: [resnet18, small], method: stacking, hidden: [8], inputs: features, folds: 2 }");
        Assert.Empty(Problems(YamlAsJson.Read(full)));
        Assert.Equal(["both"], Yaml.Parse(full).Ensembles.Select(e => e.Name));
    }

    [Fact]
    public void A_misspelt_key_is_rejected_by_the_schema_and_by_the_loader_at_its_line()
    {
        using var data = new TempDir();
        var yaml = Yaml.Basic(data.Path).Replace("  epochs: 1", "  epocs: 1");

        Assert.Contains(Problems(YamlAsJson.Read(yaml)), p => p.StartsWith("/defaults", StringComparison.Ordinal));
        var error = Assert.Single(Yaml.Fails(yaml).Errors);
        Assert.Equal((9, 3), (error.Line, error.Column));
        Assert.Contains("unknown key 'epocs' in 'defaults' (did you mean 'epochs'?)", error.Message);
    }

    [Theory]
    [InlineData("backbones: [resnet19]", "/backbones/0")]
    [InlineData("ensembles: { e: { members: [a, b], method: median } }", "/ensembles/e/method")]
    [InlineData("augmentations: { x: [ { hflip: { size: 0.5 } } ] }", "/augmentations/x/0")]
    [InlineData("defaults: { trainable: last-0 }", "/defaults/trainable")]
    public void Wrong_values_are_flagged_where_they_are(string line, string location)
    {
        var yaml = Yaml.Lines("dataset: { kind: folder, path: d }",
            line.StartsWith("backbones", StringComparison.Ordinal) ? line : "backbones: [resnet18]\n" + line);

        Assert.Contains(Problems(YamlAsJson.Read(yaml)), p => p.StartsWith(location, StringComparison.Ordinal));
    }
}
