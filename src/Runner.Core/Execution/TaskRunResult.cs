using Runner.Core.Cache;

namespace Runner.Core.Execution;

/// <summary>How one executed task ended: its outcome, its new cache entry, and whether the cache itself failed (nothing else can run).</summary>
internal sealed record TaskRunResult(TaskOutcome Outcome, CacheEntry? Entry, bool CacheFailed = false);
