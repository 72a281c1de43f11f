namespace Runner.Core.Cache;

/// <summary>
/// One cache entry as <c>runner cache ls</c> shows it: <see cref="Revision"/> is its kind's (null before revisions),
/// <see cref="RunnerVersion"/> the runner that made it.
/// </summary>
public sealed record CacheItem(
    string Key, string TaskId, string Kind, int? Revision, string RunnerVersion, long Bytes, DateTimeOffset Created,
    IReadOnlyList<string> Experiments);
