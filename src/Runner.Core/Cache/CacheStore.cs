using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Runner.Core.Util;

namespace Runner.Core.Cache;

public sealed record CachedFile(string Name, long Size, string Sha256);

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

public sealed record CacheEntry(string Directory, CacheManifest Manifest)
{
    public string PathOf(string file) => Path.Combine(Directory, file);
}

/// <summary>
/// Content-addressed artifact store: <c>ROOT/&lt;kk&gt;/&lt;key&gt;/{manifest.json, …}</c>.
/// Entries are built in a private staging folder, flushed to disk, then renamed into place,
/// so a crash at any moment leaves either a complete entry or none.
/// </summary>
public sealed class CacheStore
{
    public const string ManifestFile = "manifest.json";

    public CacheStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }
    private string StagingRoot => Path.Combine(Root, "staging");
    private string IndexRoot => Path.Combine(Root, "index");

    public string EntryDirectory(string key) => Path.Combine(Root, key[..2], key);

    /// <summary>Where a running task may keep a resume point (e.g. per-epoch training state) outside its staging folder; deleted on commit.</summary>
    public string ResumeDirectory(string key) => Path.Combine(Root, "resume", key);

    public void DeleteResume(string key)
    {
        var dir = ResumeDirectory(key);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    public CacheEntry? Find(string key)
    {
        var dir = EntryDirectory(key);
        var manifest = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifest)) return null;
        var entry = new CacheEntry(dir, Json.Read<CacheManifest>(manifest));
        return entry.Manifest.Files.All(f => File.Exists(entry.PathOf(f.Name)) && new FileInfo(entry.PathOf(f.Name)).Length == f.Size)
            ? entry
            : null;
    }

    /// <summary>A fresh private folder for a task to write its artifacts into.</summary>
    public string BeginStaging(string key)
    {
        var dir = Path.Combine(StagingRoot, $"{key[..12]}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public void AbandonStaging(string stagingDir)
    {
        if (Directory.Exists(stagingDir)) Directory.Delete(stagingDir, recursive: true);
    }

    /// <summary>Seals a staging folder as the entry for its key. If another run committed the key first, theirs is kept.</summary>
    public CacheEntry Commit(string stagingDir, CacheManifest manifest)
    {
        var files = new List<CachedFile>();
        foreach (var path in Directory.EnumerateFiles(stagingDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
            stream.Position = 0;
            files.Add(new CachedFile(Path.GetRelativePath(stagingDir, path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream))));
        }
        var complete = manifest with { Files = files };
        Json.Write(Path.Combine(stagingDir, ManifestFile), complete);

        var target = EntryDirectory(manifest.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(target) && Find(manifest.Key) is null) SetAside(target);
        try
        {
            Directory.Move(stagingDir, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            AbandonStaging(stagingDir); // another run committed the same key first: keep theirs
        }
        return Find(manifest.Key) ?? throw new IOException($"cache entry {manifest.Key} could not be read back from {target}");
    }

    /// <summary>Moves a damaged entry out of the way (atomically), then deletes it.</summary>
    private void SetAside(string damaged)
    {
        var aside = Path.Combine(StagingRoot, $"damaged.{Guid.NewGuid():N}");
        Directory.CreateDirectory(StagingRoot);
        Directory.Move(damaged, aside);
        Directory.Delete(aside, recursive: true);
    }

    /// <summary>The key a task id last completed with in an experiment; used to explain what changed since.</summary>
    public string? LatestKey(string experiment, string taskId) =>
        ReadIndex(experiment).TryGetValue(taskId, out var key) ? key : null;

    public void RecordLatest(string experiment, string taskId, string key)
    {
        lock (this)
        {
            var index = ReadIndex(experiment);
            index[taskId] = key;
            Json.Write(IndexPath(experiment), index);
        }
    }

    private string IndexPath(string experiment) => Path.Combine(IndexRoot, experiment + ".json");

    private SortedDictionary<string, string> ReadIndex(string experiment) =>
        File.Exists(IndexPath(experiment)) ? Json.Read<SortedDictionary<string, string>>(IndexPath(experiment)) : new(StringComparer.Ordinal);
}
