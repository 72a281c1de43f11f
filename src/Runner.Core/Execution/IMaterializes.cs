using Runner.Core.Cache;
using Runner.Core.Planning;

namespace Runner.Core.Execution;

/// <summary>An executor whose cached result must also appear outside the cache (the report folder, an export).</summary>
public interface IMaterializes
{
    /// <summary>Writes the entry's output where <paramref name="environment"/> and <paramref name="task"/>'s parameters say.
    /// Stops with <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires.</summary>
    void Materialize(CacheEntry entry, PlannedTask task, TaskEnvironment environment, CancellationToken cancel);

    /// <summary>What a run prints once the output is written: <c>Report: reports/quickstart/README.md</c>.</summary>
    string Describe(PlannedTask task, TaskEnvironment environment);
}
