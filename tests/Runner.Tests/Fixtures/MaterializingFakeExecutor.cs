using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;

namespace Runner.Tests.Fixtures;

internal sealed class MaterializingFakeExecutor(string kind) : FakeExecutor(kind), IMaterializes
{
    public List<string> Materialized { get; } = [];
    public void Materialize(CacheEntry entry, PlannedTask task, TaskEnvironment environment, CancellationToken cancel) =>
        Materialized.Add(entry.Manifest.TaskId);

    public string Describe(PlannedTask task, TaskEnvironment environment) => $"materialized {task.Id}";
}
