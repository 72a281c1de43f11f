using System.Text.Json.Nodes;

namespace Runner.Core.Cache;

/// <summary>
/// What a cache entry holds and how it was made. Written last: an entry without it does not exist. <see cref="Revision"/>
/// is its kind's revision (part of the key; null in entries made before revisions), <see cref="RunnerVersion"/> the
/// runner that made it (not part of the key).
/// </summary>
public sealed record CacheManifest(
    string Key,
    string TaskId,
    string Kind,
    JsonObject Params,
    IReadOnlyDictionary<string, string> Deps,
    string RunnerVersion,
    DateTimeOffset Created,
    double Seconds,
    IReadOnlyList<CachedFile> Files)
{
    public int? Revision { get; init; }
}
