using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Runner.Core.Util;

namespace Runner.Core.Cache;

/// <summary>
/// Hands cache entries from one runner home to another (CI shards to the job that gathers them): a gzip'd tar of
/// <c>&lt;key&gt;/&lt;file&gt;</c> for every file of every entry, manifests included. Import unpacks into a staging
/// folder, checks every entry against its manifest (key, file list, sizes, SHA-256) and only then renames the entries
/// it lacks into place, so a damaged archive adds nothing.
/// </summary>
public static class CacheArchive
{
    /// <summary>Writes the entries that <paramref name="experiment"/>'s last run used (its index, with their dependencies); returns them.</summary>
    public static IReadOnlyList<CacheEntry> Export(CacheStore cache, string experiment, string archive)
    {
        var used = CacheInventory.EntriesUsedBy(cache, [experiment]);
        var temporary = $"{Path.GetFullPath(archive)}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = File.Create(temporary))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
                foreach (var entry in used)
                    foreach (var name in entry.Manifest.Files.Select(f => f.Name).Append(CacheStore.ManifestFile))
                        tar.WriteEntry(entry.PathOf(name), $"{entry.Manifest.Key}/{name.Replace('\\', '/')}");
            File.Move(temporary, archive, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return used;
    }

    /// <summary>Imports every entry of <paramref name="archive"/> the cache lacks; throws <see cref="DamagedArchiveException"/> (nothing imported) if any check fails.</summary>
    public static ImportResult Import(CacheStore cache, string archive)
    {
        var staging = cache.BeginStaging("import");
        try
        {
            var problems = Unpack(archive, staging);
            var keys = Directory.GetDirectories(staging).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            var manifests = new Dictionary<string, CacheManifest>();
            foreach (var key in keys)
                if (Check(Path.Combine(staging, key), key, problems) is { } manifest) manifests[key] = manifest;
            if (problems.Count > 0) throw new DamagedArchiveException(archive, problems);

            var imported = new List<string>();
            var skipped = new List<string>();
            foreach (var key in keys)
            {
                if (cache.Find(key) is not null)
                {
                    skipped.Add(key);
                    continue;
                }
                cache.MoveIntoPlace(Path.Combine(staging, key), key);
                imported.Add(key);
            }
            return new ImportResult(imported, skipped);
        }
        finally
        {
            cache.AbandonStaging(staging);
        }
    }

    /// <summary>Extracts regular files named <c>key/relative-path</c>; anything else (links, devices, odd names, a broken stream) is a problem.</summary>
    private static List<string> Unpack(string archive, string staging)
    {
        var problems = new List<string>();
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.Directory) continue;
                var parts = entry.Name.Split('/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    problems.Add($"{entry.Name}: a {entry.EntryType} entry (only regular files belong in a cache archive)");
                else if (parts.Length < 2 || !IsKey(parts[0]) || !IsEntryFileName(string.Join('/', parts[1..])))
                    problems.Add($"{entry.Name}: not a cache entry's file (<64 hex digit key>/<file>)");
                else
                {
                    var target = Path.Combine([staging, .. parts]);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    if (File.Exists(target)) problems.Add($"{entry.Name}: appears twice");
                    else entry.ExtractToFile(target, overwrite: false);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException)
        {
            problems.Add($"unreadable ({e.Message})");
        }
        return problems;
    }

    /// <summary>
    /// The entry's manifest if it names this key, lists exactly the files present and every file matches it; what fails goes
    /// into <paramref name="problems"/>. The one check of an entry from elsewhere (an archive, the remote cache).
    /// </summary>
    internal static CacheManifest? Check(string folder, string key, List<string> problems)
    {
        CacheManifest manifest;
        try
        {
            manifest = Json.Read<CacheManifest>(Path.Combine(folder, CacheStore.ManifestFile));
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidDataException)
        {
            problems.Add($"{key}: no readable {CacheStore.ManifestFile}");
            return null;
        }
        if (manifest.Files is null || manifest.Key != key)
        {
            problems.Add($"{key}: its manifest names key {manifest.Key}");
            return null;
        }
        var present = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f)).Where(f => f != CacheStore.ManifestFile).ToHashSet(StringComparer.Ordinal);
        var listed = manifest.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var before = problems.Count;
        problems.AddRange(present.Except(listed).Order(StringComparer.Ordinal).Select(f => $"{key}/{f}: not in the manifest"));
        problems.AddRange(CacheStore.Verify(new CacheEntry(folder, manifest)).Select(p => $"{key}/{p}"));
        return problems.Count == before ? manifest : null;
    }

    /// <summary>A plain relative path inside an entry: '/'-separated parts, none empty, '.' or '..', no backslash.</summary>
    internal static bool IsEntryFileName(string name) => name.Split('/').All(p => p is not ("" or "." or "..") && !p.Contains('\\'));

    private static bool IsKey(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);
}
