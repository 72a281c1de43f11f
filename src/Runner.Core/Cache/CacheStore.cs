using System.Security.Cryptography;
using System.Text.Json;
using Runner.Core.Util;

namespace Runner.Core.Cache;

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
    public string ResumeDirectory(string key) => Path.Combine(ResumeRoot, key);

    public string ResumeRoot => Path.Combine(Root, "resume");

    public void DeleteResume(string key)
    {
        var dir = ResumeDirectory(key);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>The entry for a key if its manifest is readable and every listed file has its listed size (cheap: no hashing; see <see cref="Verify"/>).</summary>
    public CacheEntry? Find(string key) => Find(key, out _);

    /// <param name="damage">Why the key's folder exists but holds no usable entry (its manifest is missing or damaged, a file is missing or of another size); null otherwise.</param>
    public CacheEntry? Find(string key, out string? damage)
    {
        damage = null;
        var dir = EntryDirectory(key);
        if (!Directory.Exists(dir)) return null;
        var manifest = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifest))
        {
            damage = $"{ManifestFile}: missing";
            return null;
        }
        CacheEntry entry;
        try
        {
            entry = new CacheEntry(dir, EntryRules.ReadManifest(manifest));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            damage = $"{ManifestFile}: {e.Message.Split('\n')[0]}"; // the entry does not exist, and the next commit replaces it
            return null;
        }
        if (EntryRules.ManifestProblems(entry.Manifest, key) is [var broken, ..])
        {
            damage = $"{ManifestFile}: {broken}";
            return null;
        }
        var bad = entry.Manifest.Files.FirstOrDefault(f => !File.Exists(entry.PathOf(f.Name)) || new FileInfo(entry.PathOf(f.Name)).Length != f.Size);
        damage = bad is null ? null : $"{bad.Name}: missing or not {bad.Size} bytes as the manifest says";
        return bad is null ? entry : null;
    }

    /// <summary>Re-hashes every file of an entry against its manifest; one line per file that differs, empty when intact.</summary>
    public static IReadOnlyList<string> Verify(CacheEntry entry)
    {
        var problems = new List<string>();
        foreach (var file in entry.Manifest.Files)
        {
            var path = entry.PathOf(file.Name);
            if (!File.Exists(path)) problems.Add($"{file.Name}: missing");
            else if (new FileInfo(path).Length != file.Size) problems.Add($"{file.Name}: {new FileInfo(path).Length} bytes, manifest says {file.Size}");
            else if (Sha256Of(path) != file.Sha256) problems.Add($"{file.Name}: SHA-256 differs from the manifest");
        }
        return problems;
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The per-key lock every run takes before executing a key (and keeps until it has committed), so two runs on one
    /// cache never execute the same key at once; null when another holds it.
    /// </summary>
    public FileLock? TryLock(string key, string holder = "") => FileLock.TryAcquire(LockPath(key), holder);

    public string LockPath(string key) => Path.Combine(Root, "locks", key + ".lock");

    /// <summary>Deletes staging folders a killed run left for this key. Only the holder of the key's lock may call it.</summary>
    public void ClearLeftovers(string key)
    {
        if (!Directory.Exists(StagingRoot)) return;
        foreach (var dir in Directory.EnumerateDirectories(StagingRoot, key + ".*")) Directory.Delete(dir, recursive: true);
    }

    /// <summary>A fresh private folder for a task to write its artifacts into.</summary>
    public string BeginStaging(string key)
    {
        var dir = Path.Combine(StagingRoot, $"{key}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Deletes a staging folder of this cache; a path outside <see cref="Root"/> is refused, never deleted.</summary>
    public void AbandonStaging(string stagingDir)
    {
        if (!Path.GetFullPath(stagingDir).StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{stagingDir} is not inside the cache {Root}", nameof(stagingDir));
        if (Directory.Exists(stagingDir)) Directory.Delete(stagingDir, recursive: true);
    }

    /// <summary>
    /// Seals a staging folder as the entry for its key. If another run committed the key first, theirs is kept,
    /// unless <paramref name="replace"/> (the caller holds the key's lock and found the entry missing, corrupt or forced).
    /// </summary>
    public CacheEntry Commit(string stagingDir, CacheManifest manifest, bool replace = false)
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
        CrashPoint.Hit("before-rename");
        return MoveIntoPlace(stagingDir, manifest.Key, replace);
    }

    /// <summary>
    /// Renames a complete folder (files and manifest, already checked, e.g. by <see cref="CacheArchive"/>) into place as
    /// the entry for <paramref name="key"/>; an intact entry already there is kept unless <paramref name="replace"/>.
    /// </summary>
    public CacheEntry MoveIntoPlace(string folder, string key, bool replace = false)
    {
        var target = EntryDirectory(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(target) && (replace || Find(key) is null)) SetAside(target);
        try
        {
            Directory.Move(folder, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            AbandonStaging(folder); // another run committed the same key first: keep theirs
        }
        CrashPoint.Hit("after-rename");
        return Find(key) ?? throw new IOException($"cache entry {key} could not be read back from {target}");
    }

    /// <summary>Deletes an entry (atomically out of sight first). The caller should hold the key's lock.</summary>
    public void Remove(string key)
    {
        var dir = EntryDirectory(key);
        if (Directory.Exists(dir)) SetAside(dir);
    }

    /// <summary>Every entry whose manifest is readable, for <c>runner cache ls/gc</c>.</summary>
    public IEnumerable<CacheEntry> Entries() =>
        Directory.EnumerateDirectories(Root, "??")
            .Where(d => Path.GetFileName(d).All(char.IsAsciiHexDigitLower))
            .SelectMany(Directory.EnumerateDirectories)
            .Select(d => Find(Path.GetFileName(d)))
            .OfType<CacheEntry>();

    /// <summary>Staging folders (live or left by killed runs), by the key (or <c>import</c>) they were for.</summary>
    public IEnumerable<(string Key, string Directory)> StagingFolders() =>
        Directory.Exists(StagingRoot)
            ? Directory.EnumerateDirectories(StagingRoot).Select(d => (Path.GetFileName(d).Split('.')[0], d))
            : [];

    /// <summary>
    /// True when a staging folder that is not a key's (an import's) was left by a process that is gone (its name holds the
    /// pid, <see cref="BeginStaging"/>). A key's staging folders are judged by the key's lock instead.
    /// </summary>
    public static bool IsAbandoned(string stagingDirectory)
    {
        var parts = Path.GetFileName(stagingDirectory).Split('.');
        if (parts.Length != 3 || !int.TryParse(parts[1], out var pid)) return true;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>Deletes every staging folder process <paramref name="pid"/> made (it is being stopped: nothing it stages is committed).</summary>
    public void AbandonStagingOf(int pid)
    {
        foreach (var (_, dir) in StagingFolders().ToList())
            if (Path.GetFileName(dir).Split('.') is [_, var owner, _] && owner == pid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                Directory.Delete(dir, recursive: true);
    }

    /// <summary>Deletes the staging folders of imports that were killed (kill -9, power loss) before they could clean up.</summary>
    public void ClearAbandonedImports()
    {
        foreach (var (name, dir) in StagingFolders().ToList())
            if (name == ImportStaging && IsAbandoned(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>The name <see cref="CacheArchive.Import"/> stages under.</summary>
    public const string ImportStaging = "import";

    private string RunsRoot => Path.Combine(Root, "runs");

    /// <summary>
    /// Declares, until disposed, that this process is running a graph with these keys, so that <c>cache gc</c> keeps them
    /// (and what they depend on) although no experiment file it was given names them yet. A killed run's declaration
    /// lapses with its lock.
    /// </summary>
    public IDisposable DeclareRun(IEnumerable<string> keys)
    {
        var path = Path.Combine(RunsRoot, $"{Environment.ProcessId}.{Guid.NewGuid():N}");
        FileLock? held = null;
        try
        {
            held = FileLock.TryAcquire(path + ".lock", "run"); // a fresh name: never held elsewhere
            AtomicFile.WriteAllText(path + ".json", JsonSerializer.Serialize(keys.ToList()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written cannot be collected either; the run reports the cache itself.
        }
        return new RunDeclaration(held, path);
    }

    /// <summary>The keys of every graph a live run declared (<see cref="DeclareRun"/>); declarations of dead runs are deleted.</summary>
    public HashSet<string> KeysInUse()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(RunsRoot)) return keys;
        foreach (var declaration in Directory.EnumerateFiles(RunsRoot, "*.json"))
        {
            var stem = declaration[..^".json".Length];
            using (var free = FileLock.TryAcquire(stem + ".lock", "cache gc"))
            {
                if (free is not null)
                {
                    File.Delete(declaration);
                    File.Delete(stem + ".lock");
                    continue;
                }
            }
            try
            {
                keys.UnionWith(JsonSerializer.Deserialize<List<string>>(File.ReadAllText(declaration)) ?? []);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                // being written or removed by its run: its keys are in the index or the graph that run records
            }
        }
        return keys;
    }

    private sealed class RunDeclaration(FileLock? held, string path) : IDisposable
    {
        public void Dispose()
        {
            if (held is null) return;
            try
            {
                File.Delete(path + ".json");
                File.Delete(path + ".lock");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a stale declaration is removed by the next gc, once its lock is free
            }
            held.Dispose();
        }
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
            using var _ = FileLock.Acquire(IndexPath(experiment) + ".lock", TimeSpan.FromSeconds(30)); // another run may record too
            var index = ReadIndex(experiment);
            index[taskId] = key;
            Json.Write(IndexPath(experiment), index);
        }
    }

    /// <summary>
    /// Records task ids' keys that came from another cache (<c>cache import</c>) in an experiment's index, for each task id
    /// whose recorded key names no entry here: what this cache's own runs recorded stays.
    /// </summary>
    public void RecordImported(string experiment, IReadOnlyDictionary<string, string> latest)
    {
        lock (this)
        {
            using var _ = FileLock.Acquire(IndexPath(experiment) + ".lock", TimeSpan.FromSeconds(30));
            var index = ReadIndex(experiment);
            foreach (var (task, key) in latest)
                if (!index.TryGetValue(task, out var own) || Find(own) is null) index[task] = key;
            Json.Write(IndexPath(experiment), index);
        }
    }

    /// <summary>The task ids of an experiment and the key each last completed with (empty when it has no index).</summary>
    public IReadOnlyDictionary<string, string> Index(string experiment) => ReadIndex(experiment);

    /// <summary>The experiments with an index, and the key each of their task ids last completed with.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, string>> Indexes() =>
        (Directory.Exists(IndexRoot) ? Directory.EnumerateFiles(IndexRoot, "*.json") : [])
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .ToDictionary(e => e, ReadIndex);

    private string IndexPath(string experiment) => Path.Combine(IndexRoot, experiment + ".json");

    /// <summary>
    /// An experiment's index; a damaged one (cut short, edited, not JSON) is reported once on stderr and read as empty, so
    /// the run goes on (it only explains changes and guides <c>cache gc</c>) and rewrites it as tasks complete.
    /// </summary>
    private SortedDictionary<string, string> ReadIndex(string experiment)
    {
        var path = IndexPath(experiment);
        try
        {
            if (File.Exists(path))
            {
                var index = Json.Read<Dictionary<string, string?>>(path);
                if (index.FirstOrDefault(e => e.Value is null) is { Key: { } task, Value: null }) throw new InvalidDataException($"'{task}' has no key");
                return new(index!, StringComparer.Ordinal);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            if (_damagedIndexes.TryAdd(path, true))
                Console.Error.WriteLine($"WARNING {path}: the cache index is damaged ({e.Message.Split('\n')[0]}); ignored, and rebuilt as tasks complete");
        }
        return new(StringComparer.Ordinal);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _damagedIndexes = new();
}
