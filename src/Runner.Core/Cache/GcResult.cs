namespace Runner.Core.Cache;

/// <summary>What <c>runner cache gc</c> removed (or would remove) and what it left because a run holds it.</summary>
public sealed record GcResult(IReadOnlyList<CacheItem> Removed, IReadOnlyList<CacheItem> InUse, int LeftoversRemoved, long BytesFreed);
