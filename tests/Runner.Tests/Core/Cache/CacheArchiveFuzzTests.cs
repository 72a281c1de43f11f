using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Runner.Core.Cache;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>
/// A few hundred hostile archives, made by seeded mutations of a valid export: entry names (escaping, absolute, control
/// characters, empty, overlong), declared sizes (larger and smaller than the data or the manifest, negative, huge),
/// entry types (links, devices, FIFOs, folders), order, manifests and raw bytes. Each import ends within seconds, either
/// adding only entries that obey <see cref="EntryRules"/> and verify, or refusing the archive whole; nothing is ever
/// written outside the cache, and no staging folder is left.
/// </summary>
public sealed class CacheArchiveFuzzTests : IDisposable
{
    private const int Cases = 250;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(20);

    private readonly TempDir _temp = new();
    private readonly List<(string Name, byte[] Data)> _base;

    public CacheArchiveFuzzTests()
    {
        var first = ArchiveBuilder.Key("first");
        var second = ArchiveBuilder.Key("second");
        var path = new ArchiveBuilder()
            .File("index/exp.json", Encoding.UTF8.GetBytes($$"""{"data": "{{first}}", "train:a": "{{second}}"}"""))
            .Entry(first, ("out.txt", "hello"u8.ToArray()), ("sub/more.txt", new byte[300]))
            .Entry(second, ("model.bin", Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray()))
            .Write(Path.Combine(_temp.Path, "base.tar.gz"));
        _base = [];
        using var reader = new TarReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            _base.Add((entry.Name, data.ToArray()));
        }
    }

    public void Dispose() => _temp.Dispose();

    private static readonly string[] Names =
    [
        "../escaped.txt", "/etc/runner-fuzz", "{key}/../../escaped.txt", "{key}/./out.txt", "{key}//out.txt", "{key}/a\\b", "{key}/\u001b[2J",
        "", "{key}/" + new string('x', 2000), "notakey/out.txt", "index/../escaped.json", "index/evil name.json", "{key}", "{key}/",
        "{key}/manifest.json/x", "{KEY}/out.txt", "./{key}/out.txt", "{key}/out.txt\0.sh",
    ];

    private static readonly TarEntryType[] Types =
    [
        TarEntryType.SymbolicLink, TarEntryType.HardLink, TarEntryType.Fifo, TarEntryType.CharacterDevice, TarEntryType.BlockDevice,
        TarEntryType.Directory,
    ];

    private static readonly string[] ManifestEdits =
    [
        "\"size\": -1", "\"size\": 9223372036854775807", "\"size\": 5000000000", "\"files\": null", "\"files\": [null]",
        "\"deps\": {\"x\": \"../..\"}",
        "\"name\": \"../../escaped.txt\"", "\"name\": \"/etc/runner-fuzz\"", "\"sha256\": \"xyz\"", "\"key\": \"other\"", "{", "", "[]",
    ];

    /// <summary>The base archive's entries, mutated by <paramref name="random"/>, as a .tar.gz (whose bytes may be mutated too).</summary>
    private string Mutate(Random random, int n)
    {
        var entries = _base.Select(e => new Mutable(e.Name, e.Data, TarEntryType.RegularFile, null)).ToList();
        var key = entries.First(e => e.Name.EndsWith("manifest.json", StringComparison.Ordinal)).Name.Split('/')[0];
        var rounds = 1 + random.Next(3);
        var rawFlip = false;
        for (var r = 0; r < rounds; r++)
        {
            var i = random.Next(entries.Count);
            switch (random.Next(8))
            {
                case 0:
                    var name = Names[random.Next(Names.Length)].Replace("{key}", key).Replace("{KEY}", key.ToUpperInvariant());
                    entries[i] = entries[i] with { Name = name };
                    break;
                case 1: // data longer or shorter than the manifest says (the tar header follows the data)
                    var data = entries[i].Data;
                    entries[i] = entries[i] with
                    {
                        Data = random.Next(2) == 0 ? [.. data, .. new byte[1 + random.Next(100_000)]] : data[..(data.Length / 2)],
                    };
                    break;
                case 2:
                    var link = random.Next(2) == 0 ? "/etc/passwd" : "../../escaped.txt";
                    entries[i] = entries[i] with { Type = Types[random.Next(Types.Length)], Link = link };
                    break;
                case 3: // another order: files before their manifest, the index last
                    (entries[i], entries[^1]) = (entries[^1], entries[i]);
                    break;
                case 4:
                    entries.Insert(random.Next(entries.Count), entries[i]);
                    break;
                case 5 when entries.FindIndex(e => e.Name.EndsWith("manifest.json", StringComparison.Ordinal)) is var m and >= 0:
                    var text = Encoding.UTF8.GetString(entries[m].Data);
                    var edit = ManifestEdits[random.Next(ManifestEdits.Length)];
                    var field = edit.Split(':')[0];
                    var at = text.IndexOf(field, StringComparison.Ordinal);
                    text = at >= 0 && field.StartsWith('"') ? text[..at] + edit + text[text.IndexOfAny([',', '\n', '}'], at)..] : edit;
                    entries[m] = entries[m] with { Data = Encoding.UTF8.GetBytes(text) };
                    break;
                case 6:
                    entries.RemoveAt(i);
                    break;
                default:
                    rawFlip = true;
                    break;
            }
        }
        var path = Path.Combine(_temp.Path, $"case{n}.tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            foreach (var e in entries)
                tar.WriteEntry(e.Type switch
                {
                    TarEntryType.RegularFile => new PaxTarEntry(e.Type, e.Name.Length == 0 ? "x" : e.Name) { DataStream = new MemoryStream(e.Data) },
                    TarEntryType.SymbolicLink or TarEntryType.HardLink =>
                        new PaxTarEntry(e.Type, e.Name.Length == 0 ? "x" : e.Name) { LinkName = e.Link ?? "x" },
                    _ => new PaxTarEntry(e.Type, e.Name.Length == 0 ? "x" : e.Name),
                });
        if (rawFlip)
        {
            var bytes = File.ReadAllBytes(path);
            for (var k = 0; k < 1 + random.Next(4); k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(path, random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes);
        }
        return path;
    }

    private sealed record Mutable(string Name, byte[] Data, TarEntryType Type, string? Link);

    [Fact]
    public async Task Every_hostile_archive_is_imported_clean_or_refused_whole_within_seconds()
    {
        var random = new Random(26);
        var outcomes = new Dictionary<string, int>();
        for (var n = 0; n < Cases; n++)
        {
            var archive = Mutate(random, n);
            var cache = new CacheStore(Path.Combine(_temp.Path, $"cache{n}"));
            var import = Task.Run(() => CacheArchive.Import(cache, archive));
            Assert.True(await Task.WhenAny(import, Task.Delay(PerCase)) == import, $"case {n} did not finish within {PerCase.TotalSeconds} s");
            var outcome = import.IsCompletedSuccessfully ? "imported" : import.Exception!.InnerException!.GetType().Name;
            Assert.True(outcome is "imported" or nameof(DamagedArchiveException), $"case {n}: {import.Exception}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

            foreach (var entry in cache.Entries())
            {
                Assert.Empty(EntryRules.ManifestProblems(entry.Manifest, entry.Manifest.Key));
                Assert.Empty(CacheStore.Verify(entry));
            }
            Assert.Empty(cache.StagingFolders());
            Assert.False(Path.Exists(Path.Combine(_temp.Path, "escaped.txt")), $"case {n} wrote outside the cache");
            Assert.False(Path.Exists("/etc/runner-fuzz"), $"case {n} wrote /etc/runner-fuzz");
            File.Delete(archive);
        }
        Assert.True(outcomes.GetValueOrDefault(nameof(DamagedArchiveException)) > Cases / 2, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("imported") > 0, "no mutation stayed importable: is the base archive valid?");
    }
}
