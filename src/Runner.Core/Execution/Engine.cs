using Runner.Core.Cache;
using Runner.Core.Planning;
using Serilog;

namespace Runner.Core.Execution;

/// <summary>
/// Executes a task graph, reusing verified cached results: tasks start as soon as their dependencies are done and
/// their resource class has room (<see cref="ResourceClass"/>, <see cref="EngineOptions"/>). A failed task skips its
/// dependents; independent tasks still run (unless <see cref="EngineOptions.KeepGoing"/> is off), and everything
/// finished stays in the cache. Each key is executed under its cache lock, so concurrent runs on one cache share
/// the work instead of duplicating it.
/// </summary>
public sealed class Engine(CacheStore cache, IEnumerable<TaskBinding> bindings, IRunProgress progress, ILogger log, EngineOptions? options = null)
{
    private readonly Dictionary<string, ITaskExecutor> _executors = bindings.ToDictionary(b => b.Kind, b => b.Executor);

    public RunResult Run(TaskGraph graph, CancellationToken cancel = default)
    {
        using var declared = cache.DeclareRun(graph.Tasks.Select(t => t.Key)); // cache gc keeps what this run reads and writes
        return new Scheduler(cache, _executors, new SynchronizedProgress(progress), log, options ?? new EngineOptions(), graph, cancel).Run();
    }
}
