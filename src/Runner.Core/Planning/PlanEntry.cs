using Runner.Core.Cache;

namespace Runner.Core.Planning;

public sealed record PlanEntry(PlannedTask Task, TaskState State, IReadOnlyList<string> Reasons, CacheEntry? Entry);
