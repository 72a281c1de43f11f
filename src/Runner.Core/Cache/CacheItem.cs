namespace Runner.Core.Cache;

/// <summary>One cache entry as <c>runner cache ls</c> shows it.</summary>
public sealed record CacheItem(string Key, string TaskId, string Kind, long Bytes, DateTimeOffset Created, IReadOnlyList<string> Experiments);
