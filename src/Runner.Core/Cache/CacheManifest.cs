using System.Text.Json.Nodes;

namespace Runner.Core.Cache;

/// <summary>What a cache entry holds and how it was made. Written last: an entry without it does not exist.</summary>
public sealed record CacheManifest(
    string Key,
    string TaskId,
    string Kind,
    JsonObject Params,
    IReadOnlyDictionary<string, string> Deps,
    string RunnerVersion,
    DateTimeOffset Created,
    double Seconds,
    IReadOnlyList<CachedFile> Files);
