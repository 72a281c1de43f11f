namespace Runner.Core.Cache;

public sealed record CacheEntry(string Directory, CacheManifest Manifest)
{
    public string PathOf(string file) => Path.Combine(Directory, file);
}
