using System.Text.Json.Nodes;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Planning;

/// <summary>Planner keys: equal inputs give equal keys; a change touches exactly the tasks it affects.</summary>
public sealed class PlannerKeyTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public PlannerKeyTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Keys(string yaml, PlanInputs? inputs = null) =>
        Yaml.Plan(Yaml.Parse(yaml), inputs ?? Yaml.Inputs()).Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);

    private static List<string> Differing(Dictionary<string, string> a, Dictionary<string, string> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        return a.Keys.Where(id => a[id] != b[id]).Order(StringComparer.Ordinal).ToList();
    }

    private string Full(string epochsOfMobilenet = "3") => Yaml.Lines(
        "name: exp",
        "dataset:",
        "  kind: folder",
        $"  path: {_data}",
        "  split: { validation: 0.2, test: 0.1, seed: 7 }",
        "augmentations:",
        "  light:",
        "    - hflip: { p: 0.5 }",
        "    - corner_crop: { p: 0.3, size: 0.8 }",
        "defaults:",
        "  epochs: 2",
        "  batch_size: 8",
        "  optimizer: { name: adam, lr: 0.001 }",
        "  augment: light",
        "backbones:",
        "  - resnet18",
        $"  - {{ name: mobilenet_v2, epochs: {epochsOfMobilenet}, seed: 1 }}",
        "timing:",
        "  warmup: 2",
        "  iterations: 5",
        "  batch_sizes: [1, 4]");

    private string FullReordered() => Yaml.Lines(
        "timing:",
        "  batch_sizes: [1, 4]",
        "  iterations: 5",
        "  warmup: 2",
        "backbones:",
        "  - resnet18",
        "  - { seed: 1, epochs: 3, name: mobilenet_v2 }",
        "defaults:",
        "  augment: light",
        "  optimizer: { lr: 0.001, name: adam }",
        "  batch_size: 8",
        "  epochs: 2",
        "augmentations:",
        "  light:",
        "    - hflip: { p: 0.5 }",
        "    - corner_crop: { size: 0.8, p: 0.3 }",
        "dataset:",
        "  split: { seed: 7, test: 0.1, validation: 0.2 }",
        $"  path: {_data}",
        "  kind: folder",
        "name: exp");

    [Fact]
    public void Same_yaml_gives_same_keys()
    {
        var first = Keys(Full());
        Assert.Equal(first, Keys(Full()));
        Assert.Equal(8, first.Count);
        Assert.Equal(8, first.Values.Distinct().Count());
        Assert.All(first.Values, k => Assert.Matches("^[0-9a-f]{64}$", k));
    }

    [Fact]
    public void Reordering_mapping_keys_does_not_change_any_key()
    {
        Assert.Equal(Keys(Full()), Keys(FullReordered()));
    }

    [Fact]
    public void Graph_is_in_dependency_order_with_the_expected_edges()
    {
        var graph = Yaml.Plan(Yaml.Parse(Full()));
        Assert.Equal(
            ["data", "train:resnet18", "eval:resnet18", "time:resnet18", "train:mobilenet_v2", "eval:mobilenet_v2", "time:mobilenet_v2", "report"],
            graph.Tasks.Select(t => t.Id.ToString()));
        Assert.Equal(["data"], graph["train:resnet18"].DependsOn);
        Assert.Equal(["train:resnet18", "data"], graph["eval:resnet18"].DependsOn);
        Assert.Equal(["train:resnet18"], graph["time:resnet18"].DependsOn);
        Assert.Equal(graph.Tasks.Take(7).Select(t => t.Id.ToString()), graph["report"].DependsOn);
    }

    [Fact]
    public void Changing_epochs_of_one_backbone_changes_only_its_tasks_and_the_report()
    {
        var changed = Differing(Keys(Full("3")), Keys(Full("4")));
        Assert.Equal(["eval:mobilenet_v2", "report", "time:mobilenet_v2", "train:mobilenet_v2"], changed);
    }

    [Fact]
    public void Changing_a_default_changes_every_backbone_that_inherits_it()
    {
        var before = Keys(Full());
        var after = Keys(Full().Replace("batch_size: 8", "batch_size: 16"));
        Assert.Equal(
            ["eval:mobilenet_v2", "eval:resnet18", "report", "time:mobilenet_v2", "time:resnet18", "train:mobilenet_v2", "train:resnet18"],
            Differing(before, after));
    }

    [Fact]
    public void Changing_hardware_changes_only_timing_keys_and_the_report()
    {
        var yaml = Full();
        var changed = Differing(Keys(yaml, Yaml.Inputs("cpu")), Keys(yaml, Yaml.Inputs("cuda")));
        Assert.Equal(["report", "time:mobilenet_v2", "time:resnet18"], changed);
    }

    [Fact]
    public void Changing_the_dataset_fingerprint_changes_everything()
    {
        var yaml = Full();
        var changed = Differing(Keys(yaml), Keys(yaml, Yaml.Inputs() with { DatasetDigest = "other" }));
        Assert.Equal(8, changed.Count);
    }

    [Fact]
    public void Changing_the_template_digest_changes_only_the_report()
    {
        var yaml = Full();
        Assert.Equal(["report"], Differing(Keys(yaml), Keys(yaml, Yaml.Inputs() with { TemplateDigest = "t2" })));
    }

    [Fact]
    public void Canonical_json_sorts_keys_ordinally_and_ignores_insertion_order()
    {
        var a = new JsonObject
        {
            ["b"] = 1,
            ["a"] = new JsonObject { ["d"] = 2, ["c"] = new JsonArray(3, new JsonObject { ["f"] = 1, ["e"] = "x" }) },
            ["B"] = null,
        };
        var b = new JsonObject
        {
            ["a"] = new JsonObject { ["c"] = new JsonArray(3, new JsonObject { ["e"] = "x", ["f"] = 1 }), ["d"] = 2 },
            ["B"] = null,
            ["b"] = 1,
        };

        const string expected = """{"B":null,"a":{"c":[3,{"e":"x","f":1}],"d":2},"b":1}""";
        Assert.Equal(expected, CanonicalJson.Serialize(a));
        Assert.Equal(expected, CanonicalJson.Serialize(b));
        Assert.Equal(CanonicalJson.Sha256(a), CanonicalJson.Sha256(b));
        // array order is significant
        Assert.NotEqual(CanonicalJson.Sha256(new JsonArray(1, 2)), CanonicalJson.Sha256(new JsonArray(2, 1)));
    }

    private sealed record ChainKind(string Name, int Revision, string? After = null) : IBackboneTaskKind
    {
        public Runner.Core.Execution.ResourceClass Resource => Runner.Core.Execution.ResourceClass.Cpu;

        public void Plan(PlanContext plan, Runner.Core.Config.BackboneSpec backbone) =>
            plan.Add(this, backbone.Name, new { arch = backbone.Arch }, After is null ? [] : [plan[new TaskId(After, backbone.Name)]]);
    }

    [Fact]
    public void A_revision_bump_changes_exactly_that_kind_s_keys_and_its_dependents_keys()
    {
        var spec = Yaml.Parse(Full());
        Dictionary<string, string> Keys(int revision) =>
            Planner.Plan(spec, Yaml.Inputs(), [new ChainKind("first", revision), new ChainKind("second", 1, "first"), new ChainKind("other", 1)])
                .Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);

        Assert.Equal(["first:mobilenet_v2", "first:resnet18", "second:mobilenet_v2", "second:resnet18"], Differing(Keys(1), Keys(2)));
    }
}
