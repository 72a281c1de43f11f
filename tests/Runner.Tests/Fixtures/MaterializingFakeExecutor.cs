using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;

namespace Runner.Tests.Fixtures;

internal sealed class MaterializingFakeExecutor(string kind) : FakeExecutor(kind), IMaterializes
{
    public List<string> Materialized { get; } = [];
    public void Materialize(CacheEntry entry, PlannedTask task) => Materialized.Add(entry.Manifest.TaskId);
}
