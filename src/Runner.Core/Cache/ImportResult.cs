namespace Runner.Core.Cache;

/// <summary>What <see cref="CacheArchive.Import"/> added and what it left because the cache already had it.</summary>
public sealed record ImportResult(IReadOnlyList<string> Imported, IReadOnlyList<string> Skipped);
