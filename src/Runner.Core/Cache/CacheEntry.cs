namespace Runner.Core.Cache;

public sealed record CacheEntry(string Directory, CacheManifest Manifest)
{
    /// <summary>
    /// Where the entry's file <paramref name="file"/> lies; a name that would lead outside the entry
    /// (<see cref="EntryRules.NameProblem"/>) throws.
    /// </summary>
    public string PathOf(string file) => EntryRules.NameProblem(file) is { } problem
        ? throw new InvalidDataException($"cache entry {Manifest.Key}: '{file}' is {problem}")
        : Path.Combine(Directory, file);
}
