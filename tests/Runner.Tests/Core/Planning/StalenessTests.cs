using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Planning;

/// <summary>Staleness.Explain against a real cache filled by the engine with fake executors.</summary>
public sealed class StalenessTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;
    private readonly CacheStore _cache;
    private readonly FakeRig _rig;

    public StalenessTests()
    {
        _data = _temp.Sub("dataset");
        _cache = new CacheStore(Path.Combine(_temp.Path, "cache"));
        _rig = new FakeRig(_cache);
    }

    public void Dispose() => _temp.Dispose();

    private (ExperimentSpec Spec, TaskGraph Graph) Plan(int mobilenetEpochs = 1, string device = "cpu", string? yaml = null)
    {
        var spec = Yaml.Parse(yaml ?? Yaml.Basic(_data, mobilenetEpochs));
        return (spec, Yaml.Plan(spec, Yaml.Inputs(device)));
    }

    private Dictionary<string, PlanEntry> Explain(TaskGraph graph) =>
        Staleness.Explain(graph, _cache).ToDictionary(s => s.Task.Id.ToString());

    private static List<string> StaleIds(Dictionary<string, PlanEntry> status) =>
        status.Values.Where(s => s.State == TaskState.Stale).Select(s => s.Task.Id.ToString()).Order(StringComparer.Ordinal).ToList();

    private void RunOnce()
    {
        var (spec, graph) = Plan();
        Assert.True(_rig.Run(graph).Succeeded);
    }

    [Fact]
    public void Before_any_run_every_task_is_new()
    {
        var status = Explain(Plan().Graph);
        Assert.All(status.Values, s =>
        {
            Assert.Equal(TaskState.Stale, s.State);
            Assert.Equal(["new: never run"], s.Reasons);
            Assert.Null(s.Entry);
        });
    }

    [Fact]
    public void After_a_run_everything_is_cached()
    {
        RunOnce();
        var status = Explain(Plan().Graph);
        Assert.All(status.Values, s =>
        {
            Assert.Equal(TaskState.Cached, s.State);
            Assert.Empty(s.Reasons);
            Assert.NotNull(s.Entry);
        });
    }

    [Fact]
    public void Changing_epochs_of_one_backbone_explains_exactly_what_changed()
    {
        RunOnce();
        var status = Explain(Plan(mobilenetEpochs: 2).Graph);

        Assert.Equal(["eval:mobilenet_v2", "report", "time:mobilenet_v2", "train:mobilenet_v2"], StaleIds(status));
        Assert.Equal(["changed: epochs 1 → 2"], status["train:mobilenet_v2"].Reasons);
        Assert.Equal(["dependency changed: train:mobilenet_v2"], status["eval:mobilenet_v2"].Reasons);
        Assert.Equal(["dependency changed: train:mobilenet_v2"], status["time:mobilenet_v2"].Reasons);
        Assert.Equal(["dependency changed: train:mobilenet_v2, eval:mobilenet_v2, time:mobilenet_v2"], status["report"].Reasons);
    }

    [Fact]
    public void A_new_backbone_is_never_run_and_the_report_names_the_change()
    {
        RunOnce();
        var yaml = Yaml.Basic(_data) + "  - { name: r18_seed7, arch: resnet18, seed: 7 }\n";
        var status = Explain(Plan(yaml: yaml).Graph);

        Assert.Equal(["eval:r18_seed7", "report", "time:r18_seed7", "train:r18_seed7"], StaleIds(status));
        foreach (var id in new[] { "train:r18_seed7", "eval:r18_seed7", "time:r18_seed7" })
            Assert.Equal(["new: never run"], status[id].Reasons);
        Assert.Contains(status["report"].Reasons, r => r.StartsWith("changed: ", StringComparison.Ordinal)
            && r.Contains("backbones[2].name (unset) → r18_seed7"));
    }

    [Fact]
    public void New_hardware_restales_only_timing()
    {
        RunOnce();
        var status = Explain(Plan(device: "cuda").Graph);

        Assert.Equal(["report", "time:mobilenet_v2", "time:resnet18"], StaleIds(status));
        Assert.Equal(["new hardware: device cpu → cuda"], status["time:resnet18"].Reasons);
        Assert.Equal(["new hardware: device cpu → cuda"], status["time:mobilenet_v2"].Reasons);
        Assert.Equal(["dependency changed: time:resnet18, time:mobilenet_v2"], status["report"].Reasons);
    }

    [Fact]
    public void A_removed_cache_entry_is_explained()
    {
        RunOnce();
        var (_, graph) = Plan();
        Directory.Delete(_cache.EntryDirectory(graph["eval:resnet18"].Key), recursive: true);

        var status = Explain(graph);
        Assert.Equal(["eval:resnet18"], StaleIds(status));
        Assert.Equal(["not in cache: the previous result was removed"], status["eval:resnet18"].Reasons);
    }
}
