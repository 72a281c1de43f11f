using Runner.Core.Cache;

namespace Runner.Core.Planning;

public sealed record PlanEntry(PlannedTask Task, TaskState State, IReadOnlyList<string> Reasons, CacheEntry? Entry)
{
    /// <summary>Cached on the remote cache only: a run fetches it instead of executing it.</summary>
    public bool OnRemote { get; init; }
}
