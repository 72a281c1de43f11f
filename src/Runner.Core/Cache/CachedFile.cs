namespace Runner.Core.Cache;

public sealed record CachedFile(string Name, long Size, string Sha256);
