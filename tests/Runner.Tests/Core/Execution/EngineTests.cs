using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Execution;

/// <summary>Engine with fake executors: failures skip dependents only; cached work is never redone.</summary>
public sealed class EngineTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly CacheStore _cache;
    private readonly FakeRig _rig;
    private readonly ExperimentSpec _spec;
    private readonly TaskGraph _graph;

    public EngineTests()
    {
        _cache = new CacheStore(Path.Combine(_temp.Path, "cache"));
        _rig = new FakeRig(_cache);
        _spec = Yaml.Parse(Yaml.Basic(_temp.Sub("dataset")));
        _graph = Yaml.Plan(_spec);
    }

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, Outcome> Outcomes(RunResult result) => result.Tasks.ToDictionary(t => t.Task.Id.ToString(), t => t.Outcome);

    [Fact]
    public void First_run_executes_every_task_once_in_order_with_its_inputs()
    {
        var result = _rig.Run(_graph);

        Assert.True(result.Succeeded);
        Assert.All(result.Tasks, t => Assert.Equal(Outcome.Ran, t.Outcome));
        Assert.Equal(_graph.Tasks.Select(t => t.Id.ToString()).Order(), _rig.AllCalls.Order());
        var eval = Assert.Single(_rig.Executors[EvalKind.Name].SeenInputs, s => s.Task == "eval:resnet18");
        Assert.Equal(["data", "train:resnet18"], eval.Inputs);
        foreach (var task in _graph.Tasks)
            Assert.Equal(task.Id, File.ReadAllText(_cache.Find(task.Key)!.PathOf("out.txt")));
    }

    [Fact]
    public void Second_run_executes_nothing()
    {
        _rig.Run(_graph);
        foreach (var e in _rig.Executors.Values) e.Calls.Clear();

        var again = _rig.Run(_graph);

        Assert.True(again.Succeeded);
        Assert.All(again.Tasks, t => Assert.Equal(Outcome.Cached, t.Outcome));
        Assert.Empty(_rig.AllCalls);
    }

    [Fact]
    public void Cached_report_is_still_materialized()
    {
        var report = (MaterializingFakeExecutor)_rig.Executors[ReportKind.Name];
        _rig.Run(_graph);
        _rig.Run(_graph);
        Assert.Equal(["report", "report"], report.Materialized);
    }

    [Fact]
    public void A_failure_skips_dependents_but_independent_tasks_still_run()
    {
        _rig.Executors[TrainKind.Name].FailFor.Add("train:resnet18");

        var result = _rig.Run(_graph);
        var outcomes = Outcomes(result);

        Assert.False(result.Succeeded);
        Assert.Equal(Outcome.Failed, outcomes["train:resnet18"]);
        Assert.Equal("boom in train:resnet18", result.Tasks.Single(t => t.Task.Id == "train:resnet18").Error);
        Assert.Equal(Outcome.Skipped, outcomes["eval:resnet18"]);
        Assert.Equal(Outcome.Skipped, outcomes["time:resnet18"]);
        Assert.Equal(Outcome.Skipped, outcomes["report"]);
        Assert.Equal("skipped: train:resnet18 failed", result.Tasks.Single(t => t.Task.Id == "eval:resnet18").Error);
        foreach (var id in new[] { "data", "train:mobilenet_v2", "eval:mobilenet_v2", "time:mobilenet_v2" })
            Assert.Equal(Outcome.Ran, outcomes[id]);
        // skipped tasks were never handed to an executor
        Assert.DoesNotContain("eval:resnet18", _rig.AllCalls);
        Assert.DoesNotContain("report", _rig.AllCalls);
        Assert.Null(_cache.Find(_graph["train:resnet18"].Key));
    }

    [Fact]
    public void After_a_failure_the_next_run_redoes_only_what_did_not_finish()
    {
        _rig.Executors[TrainKind.Name].FailFor.Add("train:resnet18");
        _rig.Run(_graph);
        _rig.Executors[TrainKind.Name].FailFor.Clear();
        foreach (var e in _rig.Executors.Values) e.Calls.Clear();

        var result = _rig.Run(_graph);

        Assert.True(result.Succeeded);
        Assert.Equal(["eval:resnet18", "report", "time:resnet18", "train:resnet18"], _rig.AllCalls.Order(StringComparer.Ordinal));
        Assert.Equal(Outcome.Cached, Outcomes(result)["train:mobilenet_v2"]);
    }

    [Fact]
    public void Latest_keys_are_recorded_only_for_finished_tasks()
    {
        _rig.Executors[EvalKind.Name].FailFor.Add("eval:mobilenet_v2");
        _rig.Run(_graph);

        Assert.Equal(_graph["train:mobilenet_v2"].Key, _cache.LatestKey("exp", "train:mobilenet_v2"));
        Assert.Null(_cache.LatestKey("exp", "eval:mobilenet_v2"));
        Assert.Null(_cache.LatestKey("exp", "report"));
    }
}
