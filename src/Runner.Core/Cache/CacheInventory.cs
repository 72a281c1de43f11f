namespace Runner.Core.Cache;

/// <summary>
/// Listing and garbage collection. An entry is referenced when an experiment's index (the key each of its task ids
/// last completed with, written by every run) names it, or a referenced entry depends on it. Keys are never guessed
/// from the experiment file alone: timing keys hold the hardware, so a laptop planning a GPU experiment would see
/// other keys than the GPU runner that filled the cache.
/// </summary>
public static class CacheInventory
{
    public static IReadOnlyList<CacheItem> List(CacheStore cache)
    {
        var users = cache.Indexes()
            .SelectMany(i => i.Value.Values.Select(key => (Key: key, Experiment: i.Key)))
            .ToLookup(u => u.Key, u => u.Experiment);
        return cache.Entries()
            .Select(e => new CacheItem(e.Manifest.Key, e.Manifest.TaskId, e.Manifest.Kind, e.Manifest.Revision, e.Manifest.RunnerVersion,
                SizeOf(e.Directory), e.Manifest.Created,
                users[e.Manifest.Key].Distinct().Order(StringComparer.Ordinal).ToList()))
            .OrderBy(i => i.TaskId, StringComparer.Ordinal).ThenByDescending(i => i.Created)
            .ToList();
    }

    /// <summary>
    /// Removes entries no index of <paramref name="experiments"/> references and no running experiment's graph holds
    /// (<see cref="CacheStore.DeclareRun"/>), and staging folders killed runs left.
    /// </summary>
    public static GcResult Collect(CacheStore cache, IReadOnlyCollection<string> experiments, bool dryRun)
    {
        var entries = cache.Entries().ToDictionary(e => e.Manifest.Key);
        var referenced = UsedBy(cache, experiments, entries, cache.KeysInUse());

        var listing = List(cache).ToDictionary(i => i.Key);
        var removed = new List<CacheItem>();
        var inUse = new List<CacheItem>();
        foreach (var key in entries.Keys.Where(k => !referenced.Contains(k)))
        {
            using var keyLock = cache.TryLock(key, "cache gc");
            if (keyLock is null)
            {
                inUse.Add(listing[key]);
                continue;
            }
            if (!dryRun) cache.Remove(key);
            removed.Add(listing[key]);
        }
        var leftovers = 0;
        foreach (var (key, dir) in cache.StagingFolders())
        {
            using var keyLock = EntryRules.IsKey(key) ? cache.TryLock(key, "cache gc") : null;
            if (EntryRules.IsKey(key) ? keyLock is null : key == CacheStore.ImportStaging && !CacheStore.IsAbandoned(dir)) continue; // being written
            if (!dryRun) DeleteQuietly(dir);
            leftovers++;
        }
        return new GcResult(removed, inUse, leftovers, removed.Sum(r => r.Bytes));
    }

    /// <summary>
    /// The keys the last runs of <paramref name="experiments"/> used (their indexes) and <paramref name="also"/>, with
    /// everything those entries depend on.
    /// </summary>
    public static HashSet<string> UsedBy(CacheStore cache, IReadOnlyCollection<string> experiments, Dictionary<string, CacheEntry> entries,
        IEnumerable<string>? also = null)
    {
        var indexes = cache.Indexes();
        var referenced = new HashSet<string>(experiments.Where(indexes.ContainsKey).SelectMany(x => indexes[x].Values).Concat(also ?? []));
        foreach (var key in referenced.ToList()) AddDependencies(key, entries, referenced);
        return referenced;
    }

    /// <summary>The entries the last runs of <paramref name="experiments"/> used, with what they depend on, in key order.</summary>
    public static IReadOnlyList<CacheEntry> EntriesUsedBy(CacheStore cache, IReadOnlyCollection<string> experiments)
    {
        var entries = cache.Entries().ToDictionary(e => e.Manifest.Key);
        return UsedBy(cache, experiments, entries).Where(entries.ContainsKey).Order(StringComparer.Ordinal).Select(k => entries[k]).ToList();
    }

    private static void AddDependencies(string key, Dictionary<string, CacheEntry> entries, HashSet<string> referenced)
    {
        if (!entries.TryGetValue(key, out var entry)) return;
        foreach (var dep in entry.Manifest.Deps.Values)
            if (referenced.Add(dep)) AddDependencies(dep, entries, referenced);
    }

    public static long SizeOf(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static void DeleteQuietly(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // being deleted by the run that set it aside
        }
    }
}
