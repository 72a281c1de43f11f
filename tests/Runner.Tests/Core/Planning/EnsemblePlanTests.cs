using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Planning;

/// <summary>Ensemble tasks in the graph: what they depend on, and that a change re-runs only the ensembles it touches.</summary>
public sealed class EnsemblePlanTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;
    private readonly CacheStore _cache;

    public EnsemblePlanTests()
    {
        _data = _temp.Sub("dataset");
        _cache = new CacheStore(Path.Combine(_temp.Path, "cache"));
    }

    public void Dispose() => _temp.Dispose();

    private static readonly FakeArchCatalog Archs = new(new Dictionary<string, int> { ["resnet18"] = 32, ["mobilenet_v2"] = 32, ["xception"] = 299 });

    private (ExperimentSpec Spec, TaskGraph Graph) Plan(int xceptionEpochs = 1, string stackingHidden = "[32, 8]")
    {
        var spec = Yaml.Parse(Yaml.Lines(
            "name: exp",
            "dataset: { kind: folder, path: " + _data + " }",
            "defaults: { epochs: 1 }",
            "backbones:",
            "  - resnet18",
            "  - mobilenet_v2",
            $"  - {{ name: xception, epochs: {xceptionEpochs} }}",
            "ensembles:",
            $"  with_xception: {{ members: [resnet18, xception], method: stacking, hidden: {stackingHidden} }}",
            "  without: { members: [resnet18, mobilenet_v2], method: mean }",
            "  features: { members: [mobilenet_v2, resnet18], method: logistic, inputs: features }"), Archs);
        return (spec, Yaml.Plan(spec));
    }

    private List<string> Stale(TaskGraph graph) =>
        Staleness.Explain(graph, _cache).Where(s => s.State == TaskState.Stale).Select(s => s.Task.Id.ToString()).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Ensembles_depend_on_their_members_evaluations_and_features_only_where_asked()
    {
        var graph = Plan().Graph;

        Assert.Equal(["data", "eval:resnet18", "eval:xception"], graph["ensemble:with_xception"].DependsOn);
        Assert.Equal(["data", "eval:mobilenet_v2", "eval:resnet18", "features:mobilenet_v2", "features:resnet18"], graph["ensemble:features"].DependsOn);
        Assert.Equal(["features:mobilenet_v2", "features:resnet18"], graph.Tasks.Where(t => t.Kind == FeaturesKind.Name).Select(t => t.Id.ToString()).Order());
        Assert.Equal(["train:resnet18", "data"], graph["features:resnet18"].DependsOn);
        Assert.Contains("ensemble:without", graph["report"].DependsOn);
        // Every task comes after what it depends on.
        var seen = new HashSet<string>();
        Assert.All(graph.Tasks, t => { Assert.All(t.DependsOn, d => Assert.Contains(d, seen)); seen.Add(t.Id); });
    }

    [Fact]
    public void Changing_one_members_epochs_restales_that_member_the_ensembles_containing_it_and_the_report()
    {
        var (spec, graph) = Plan();
        Assert.True(new FakeRig(_cache).Run(graph).Succeeded);
        Assert.Empty(Stale(Plan().Graph));

        var changed = Plan(xceptionEpochs: 2).Graph;

        Assert.Equal(["ensemble:with_xception", "eval:xception", "report", "time:xception", "train:xception"], Stale(changed));
        var why = Staleness.Explain(changed, _cache).Single(s => s.Task.Id == "ensemble:with_xception").Reasons;
        Assert.Equal(["dependency changed: eval:xception"], why);
    }

    [Fact]
    public void Changing_a_stackers_hidden_sizes_restales_only_that_ensemble_and_the_report()
    {
        var (spec, graph) = Plan();
        Assert.True(new FakeRig(_cache).Run(graph).Succeeded);

        var changed = Plan(stackingHidden: "[16]").Graph;

        Assert.Equal(["ensemble:with_xception", "report"], Stale(changed));
        Assert.Equal(["changed: hidden [32, 8] → [16]"],
            Staleness.Explain(changed, _cache).Single(s => s.Task.Id == "ensemble:with_xception").Reasons);
    }

    [Fact]
    public void An_experiment_without_ensembles_plans_no_ensemble_tasks()
    {
        var yaml = Yaml.Basic(_data);
        var before = Yaml.Plan(Yaml.Parse(yaml));

        Assert.DoesNotContain(before.Tasks, t => t.Kind is EnsembleKind.Name or FeaturesKind.Name);
        Assert.Empty(before["report"].Params["ensembles"]!.AsArray());
    }
}
