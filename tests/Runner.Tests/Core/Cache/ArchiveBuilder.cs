using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Core.Util;

namespace Runner.Tests.Core.Cache;

/// <summary>Writes cache archives by hand, in any order and with any names, sizes and manifests: what a hostile archive can be.</summary>
internal sealed class ArchiveBuilder
{
    private readonly List<TarEntry> _entries = [];

    public static string Key(string seed) => CanonicalJson.Sha256(new JsonObject { ["seed"] = seed });

    /// <summary>A manifest for <paramref name="key"/> listing <paramref name="files"/> (name, size, SHA-256) as given.</summary>
    public static byte[] Manifest(string key, params CachedFile[] files) => JsonSerializer.SerializeToUtf8Bytes(
        new CacheManifest(key, "train:x", "train", new JsonObject(), new Dictionary<string, string>(), Planner.RunnerVersion,
            DateTimeOffset.UnixEpoch, 1, files), Json.Options);

    public static CachedFile Listed(string name, byte[] content) => new(name, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>A regular file whose data is <paramref name="content"/>.</summary>
    public ArchiveBuilder File(string name, byte[] content)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return this;
    }

    /// <summary>A manifest then the files it lists, as <c>cache export</c> writes an entry.</summary>
    public ArchiveBuilder Entry(string key, params (string Name, byte[] Content)[] files)
    {
        File($"{key}/{CacheStore.ManifestFile}", Manifest(key, files.Select(f => Listed(f.Name, f.Content)).ToArray()));
        foreach (var (name, content) in files) File($"{key}/{name}", content);
        return this;
    }

    public ArchiveBuilder Add(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    public string Write(string path)
    {
        using var file = System.IO.File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize); // bombs compress about 1000:1
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in _entries) tar.WriteEntry(entry);
        return path;
    }
}
