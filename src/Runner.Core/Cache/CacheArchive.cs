using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Runner.Core.Config;
using Runner.Core.Util;

namespace Runner.Core.Cache;

/// <summary>
/// Hands cache entries from one runner home to another (CI shards to the job that gathers them): a gzip'd tar holding
/// <c>index/&lt;experiment&gt;.json</c> (which key each task id of the exported run used), then for every entry its
/// <c>&lt;key&gt;/manifest.json</c> followed by its files. Import reads each manifest before the files it lists, so every
/// file is checked against it (name, declared size) before a byte is written; the whole archive may expand to at most
/// <see cref="ExpansionAllowance"/> plus <see cref="MaxExpansion"/> times its own size and must fit the free disk space.
/// Unpacked entries are then checked with <see cref="EntryRules.CheckFolder"/> and only then renamed into place, so a
/// damaged archive adds nothing.
/// </summary>
public static class CacheArchive
{
    /// <summary>How many times its own size an archive may expand to (gzip of real entries: under 10×)…</summary>
    public const int MaxExpansion = 100;

    /// <summary>…plus this much, so that small archives of well-compressing JSON are never refused.</summary>
    public const long ExpansionAllowance = 64L * 1024 * 1024;

    private const string IndexFolder = "index";
    private const int MaxProblems = 50;

    /// <summary>Writes the entries that <paramref name="experiment"/>'s last run used (its index, with their dependencies); returns them.</summary>
    public static IReadOnlyList<CacheEntry> Export(CacheStore cache, string experiment, string archive, CancellationToken cancel = default)
    {
        var used = CacheInventory.EntriesUsedBy(cache, [experiment]);
        var keys = used.Select(e => e.Manifest.Key).ToHashSet(StringComparer.Ordinal);
        var index = cache.Index(experiment).Where(e => keys.Contains(e.Value)).ToDictionary(e => e.Key, e => e.Value);
        var temporary = $"{Path.GetFullPath(archive)}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = File.Create(temporary))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{IndexFolder}/{experiment}.json")
                {
                    DataStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(index, Json.Options)),
                });
                foreach (var entry in used)
                    foreach (var name in entry.Manifest.Files.Select(f => f.Name).Prepend(CacheStore.ManifestFile))
                    {
                        cancel.ThrowIfCancellationRequested();
                        tar.WriteEntry(entry.PathOf(name), $"{entry.Manifest.Key}/{name}");
                    }
            }
            File.Move(temporary, archive, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return used;
    }

    /// <summary>
    /// Imports every entry of <paramref name="archive"/> the cache lacks, and records the exported run's task ids in the
    /// experiment's index where this cache has nothing of its own for them (so <c>cache gc</c> keeps what was imported).
    /// Throws <see cref="DamagedArchiveException"/> (nothing imported) if any check fails, <see cref="IOException"/> when
    /// the cache cannot hold or write the entries.
    /// </summary>
    public static ImportResult Import(CacheStore cache, string archive, CancellationToken cancel = default)
    {
        cache.ClearAbandonedImports();
        var limit = ExpansionAllowance + MaxExpansion * new FileInfo(archive).Length;
        var staging = cache.BeginStaging(CacheStore.ImportStaging);
        try
        {
            var unpacked = new Unpacking(archive, staging, limit, FreeBytes(cache.Root), cancel);
            unpacked.Run();
            var problems = unpacked.Problems;
            var keys = unpacked.Keys.Order(StringComparer.Ordinal).ToList();
            foreach (var key in keys)
                if (problems.Count < MaxProblems) problems.AddRange(EntryRules.CheckFolder(Path.Combine(staging, key), key, out _));
            if (problems.Count > 0) throw new DamagedArchiveException(archive, problems);

            var imported = new List<string>();
            var skipped = new List<string>();
            foreach (var key in keys)
            {
                cancel.ThrowIfCancellationRequested();
                if (cache.Find(key) is not null)
                {
                    skipped.Add(key);
                    continue;
                }
                cache.MoveIntoPlace(Path.Combine(staging, key), key);
                imported.Add(key);
            }
            foreach (var (experiment, index) in unpacked.Indexes)
                cache.RecordImported(experiment, index.Where(e => keys.Contains(e.Value)).ToDictionary(e => e.Key, e => e.Value));
            return new ImportResult(imported, skipped);
        }
        finally
        {
            cache.AbandonStaging(staging);
        }
    }

    private static long FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>One pass over the archive: each entry checked (type, name, declared size against its manifest) before it is written.</summary>
    private sealed class Unpacking(string archive, string staging, long limit, long free, CancellationToken cancel)
    {
        private readonly Dictionary<string, Dictionary<string, long>> _listed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);
        private decimal _declared;
        private bool _stopped;

        public List<string> Problems { get; } = [];
        public IEnumerable<string> Keys => _listed.Keys;
        public Dictionary<string, Dictionary<string, string>> Indexes { get; } = new(StringComparer.Ordinal);

        public void Run()
        {
            try
            {
                using var file = File.OpenRead(archive);
                using var bounded = new BoundedReadStream(new GZipStream(file, CompressionMode.Decompress), limit, "the archive");
                using var tar = new TarReader(bounded);
                while (!_stopped && Problems.Count < MaxProblems && tar.GetNextEntry() is { } entry)
                {
                    cancel.ThrowIfCancellationRequested();
                    Take(entry);
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException
                or OverflowException or NotSupportedException)
            {
                Problems.Add($"unreadable ({e.Message})");
            }
        }

        private void Take(TarEntry entry)
        {
            var name = entry.Name;
            if (entry.EntryType is TarEntryType.Directory) return;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                Problems.Add($"{name}: a {entry.EntryType} entry (only regular files belong in a cache archive)");
                return;
            }
            var slash = name.IndexOf('/');
            var (folder, rest) = slash < 0 ? (name, "") : (name[..slash], name[(slash + 1)..]);
            if (folder == IndexFolder)
            {
                TakeIndex(entry, rest);
                return;
            }
            if (!EntryRules.IsKey(folder) || EntryRules.NameProblem(rest) is not null)
            {
                Problems.Add($"{name}: not a cache entry's file (<64 hex digit key>/<file>)");
                return;
            }
            if (rest == CacheStore.ManifestFile)
            {
                TakeManifest(entry, folder);
                return;
            }
            if (!_listed.TryGetValue(folder, out var files))
                Problems.Add($"{name}: comes before its entry's {CacheStore.ManifestFile} " +
                    "(an archive from an earlier runner, or not from 'cache export'; export it again)");
            else if (!files.TryGetValue(rest, out var size))
                Problems.Add($"{name}: not in the manifest");
            else if (!_written.Add(name))
                Problems.Add($"{name}: appears twice");
            else if (entry.Length != size)
                Problems.Add($"{name}: {entry.Length:N0} bytes, the manifest says {size:N0}");
            else
                Write(entry, Path.Combine([staging, folder, .. rest.Split('/')]));
        }

        private void TakeManifest(TarEntry entry, string key)
        {
            if (_listed.ContainsKey(key))
            {
                Problems.Add($"{key}/{CacheStore.ManifestFile}: appears twice");
                return;
            }
            if (entry.Length > EntryRules.MaxManifestBytes)
            {
                Problems.Add($"{key}/{CacheStore.ManifestFile}: {entry.Length:N0} bytes, more than a manifest can be");
                return;
            }
            var bytes = Bytes(entry);
            CacheManifest manifest;
            try
            {
                manifest = EntryRules.ParseManifest(bytes);
            }
            catch (InvalidDataException e)
            {
                Problems.Add($"{key}: no readable {CacheStore.ManifestFile} ({e.Message})");
                return;
            }
            if (EntryRules.ManifestProblems(manifest, key) is { Count: > 0 } broken)
            {
                Problems.AddRange(broken.Select(p => $"{key}: {p}"));
                return;
            }
            _declared += manifest.Files.Sum(f => (decimal)f.Size) + bytes.Length; // decimal: hostile sizes cannot overflow it
            if (_declared > limit)
            {
                Problems.Add($"its manifests declare {_declared:N0} bytes, more than a {new FileInfo(archive).Length:N0}-byte archive of cache " +
                    $"entries can hold ({MaxExpansion}× its size plus {ExpansionAllowance / (1024 * 1024)} MiB)");
                _stopped = true;
                return;
            }
            if (_declared > free)
                throw new IOException(
                    $"its entries need {_declared / 1048576m:0.#} MiB and the cache has {free / 1048576.0:0.#} MiB free; nothing imported");
            _listed[key] = manifest.Files.ToDictionary(f => f.Name, f => f.Size, StringComparer.Ordinal);
            var folder = Path.Combine(staging, key);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, CacheStore.ManifestFile), bytes);
        }

        private void TakeIndex(TarEntry entry, string file)
        {
            var experiment = file.EndsWith(".json", StringComparison.Ordinal) ? file[..^".json".Length] : "";
            if (ExperimentLoader.NameProblem(experiment) is not null || Indexes.ContainsKey(experiment) || entry.Length > EntryRules.MaxManifestBytes)
            {
                Problems.Add($"{entry.Name}: not an experiment's index " +
                    $"({IndexFolder}/<experiment>.json, once, at most {EntryRules.MaxManifestBytes:N0} bytes)");
                return;
            }
            try
            {
                var index = JsonSerializer.Deserialize<Dictionary<string, string>>(Bytes(entry), Json.Options) ?? [];
                Indexes[experiment] = index.Where(e => EntryRules.IsKey(e.Value) && e.Key.Length > 0 && !e.Key.Any(char.IsControl))
                    .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            }
            catch (JsonException e)
            {
                Problems.Add($"{entry.Name}: not an experiment's index ({e.Message.Split('\n')[0]})");
            }
        }

        private static byte[] Bytes(TarEntry entry)
        {
            var bytes = new byte[entry.Length];
            entry.DataStream?.ReadExactly(bytes);
            return bytes;
        }

        /// <summary>Copies exactly the entry's declared length (already checked against the manifest) into a new file.</summary>
        private void Write(TarEntry entry, string target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            if (entry.DataStream is not { } data) return;
            var buffer = new byte[1 << 16];
            for (var left = entry.Length; left > 0;)
            {
                cancel.ThrowIfCancellationRequested();
                var read = data.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0) throw new EndOfStreamException($"{entry.Name} ends early");
                output.Write(buffer, 0, read);
                left -= read;
            }
        }
    }
}
