using Runner.Core.Cache;
using Runner.Core.Planning;

namespace Runner.Core.Execution;

/// <summary>An executor whose cached result must also appear outside the cache (the report folder).</summary>
public interface IMaterializes
{
    /// <summary>Writes the entry's output; everything it needs is in <paramref name="task"/>'s parameters. Stops with
    /// <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires.</summary>
    void Materialize(CacheEntry entry, PlannedTask task, CancellationToken cancel);
}
