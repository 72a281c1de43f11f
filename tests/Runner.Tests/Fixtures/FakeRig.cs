using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;

namespace Runner.Tests.Fixtures;

/// <summary>One fake executor per task kind, plus an engine over a cache.</summary>
internal sealed class FakeRig
{
    public FakeRig(CacheStore cache)
    {
        Cache = cache;
        Executors = new Dictionary<string, FakeExecutor>
        {
            [DataKind.Name] = new(DataKind.Name),
            [TrainKind.Name] = new(TrainKind.Name),
            [EvalKind.Name] = new(EvalKind.Name),
            [TimeKind.Name] = new(TimeKind.Name),
            [FeaturesKind.Name] = new(FeaturesKind.Name),
            [EnsembleKind.Name] = new(EnsembleKind.Name),
            [ReportKind.Name] = new MaterializingFakeExecutor(ReportKind.Name),
        };
    }

    public CacheStore Cache { get; }
    public Dictionary<string, FakeExecutor> Executors { get; }
    public IEnumerable<string> AllCalls => Executors.Values.SelectMany(e => e.Calls);

    public RunResult Run(TaskGraph graph) =>
        new Engine(Cache, Executors.Values.Select(e => e.Binding), new SilentProgress(), Serilog.Core.Logger.None).Run(graph);
}
