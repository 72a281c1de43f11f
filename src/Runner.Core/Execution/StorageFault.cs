namespace Runner.Core.Execution;

/// <summary>Recognises failures of the disk under the cache (full, read-only), which no further task can escape.</summary>
public static class StorageFault
{
    private const int NoSpace = 28, ReadOnlyFileSystem = 30;

    /// <summary>A sentence naming the cache folder and what is wrong with it, or null when <paramref name="e"/> is something else.</summary>
    public static string? Describe(Exception e, string cacheRoot)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner.HResult == NoSpace || inner.Message.Contains("No space left on device", StringComparison.Ordinal))
                return $"no space left on device (the cache {cacheRoot} has {FreeSpace(cacheRoot)} free): {inner.Message}";
            var readOnly = inner is UnauthorizedAccessException || inner.HResult == ReadOnlyFileSystem || inner.Message.Contains("Read-only file system", StringComparison.Ordinal);
            if (readOnly && inner.Message.Contains(cacheRoot, StringComparison.Ordinal))
                return $"the cache {cacheRoot} cannot be written: {inner.Message}";
        }
        return null;
    }

    private static string FreeSpace(string path)
    {
        try
        {
            return $"{new DriveInfo(path).AvailableFreeSpace / (1024.0 * 1024):0.#} MiB";
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return "unknown space";
        }
    }
}
