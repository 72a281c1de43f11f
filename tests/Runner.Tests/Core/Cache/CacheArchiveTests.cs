using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>cache export/import: what an experiment's last run used travels; a damaged archive adds nothing.</summary>
public sealed class CacheArchiveTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly CacheStore _source;
    private readonly CacheStore _target;

    public CacheArchiveTests()
    {
        _source = new CacheStore(Path.Combine(_temp.Path, "source"));
        _target = new CacheStore(Path.Combine(_temp.Path, "target"));
    }

    public void Dispose() => _temp.Dispose();

    private string Archive => Path.Combine(_temp.Path, "shard.tar.gz");

    private static string Add(CacheStore cache, string taskId, string content, params string[] depKeys)
    {
        var key = CanonicalJson.Sha256(new JsonObject { ["task"] = taskId, ["content"] = content });
        var staging = cache.BeginStaging(key);
        File.WriteAllText(Path.Combine(staging, "out.txt"), content);
        Directory.CreateDirectory(Path.Combine(staging, "sub"));
        File.WriteAllText(Path.Combine(staging, "sub", "more.txt"), content + content);
        cache.Commit(staging, new CacheManifest(key, taskId, taskId.Split(':')[0], new JsonObject(),
            depKeys.ToDictionary(k => k[..6], k => k), Planner.RunnerVersion, DateTimeOffset.UtcNow, 1, []));
        return key;
    }

    [Fact]
    public void Export_takes_what_the_last_run_used_and_import_adds_it_verified_skipping_what_is_there()
    {
        var data = Add(_source, "data", "d");
        var train = Add(_source, "train:a", "w", data);
        var unused = Add(_source, "train:a", "older");
        _source.RecordLatest("exp", "train:a", train); // data comes along as train's dependency
        Add(_target, "data", "d"); // the gathering home ran data itself

        var exported = CacheArchive.Export(_source, "exp", Archive);
        var result = CacheArchive.Import(_target, Archive);

        Assert.Equal(new[] { data, train }.Order(), exported.Select(e => e.Manifest.Key).Order());
        Assert.Equal([train], result.Imported);
        Assert.Equal([data], result.Skipped);
        var entry = _target.Find(train)!;
        Assert.Empty(CacheStore.Verify(entry));
        Assert.Equal("ww", File.ReadAllText(entry.PathOf(Path.Combine("sub", "more.txt"))));
        Assert.Null(_target.Find(unused));
        Assert.Empty(_target.StagingFolders());
    }

    [Fact]
    public void A_changed_byte_in_one_entry_refuses_the_whole_archive()
    {
        var data = Add(_source, "data", "d");
        var train = Add(_source, "train:a", "w", data);
        _source.RecordLatest("exp", "train:a", train);
        CacheArchive.Export(_source, "exp", Archive);
        Rewrite(entry => entry.Name == $"{train}/out.txt" ? "W" : null);

        var e = Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, Archive));

        Assert.Contains($"{train}/out.txt: SHA-256 differs from the manifest", e.Message);
        Assert.Contains("nothing imported", e.Message);
        Assert.Empty(_target.Entries()); // not even the intact data entry
        Assert.Empty(_target.StagingFolders());
    }

    [Fact]
    public void Truncated_archives_and_entries_outside_a_key_folder_are_refused()
    {
        var data = Add(_source, "data", "d");
        _source.RecordLatest("exp", "data", data);
        CacheArchive.Export(_source, "exp", Archive);
        var bytes = File.ReadAllBytes(Archive);
        File.WriteAllBytes(Archive, bytes[..(bytes.Length / 2)]);
        Assert.Contains("unreadable", Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, Archive)).Message);

        CacheArchive.Export(_source, "exp", Archive);
        Rewrite(_ => null, extra: $"{data}/../../escaped.txt");
        Assert.Contains("not a cache entry's file", Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, Archive)).Message);
        Assert.False(File.Exists(Path.Combine(_target.Root, "escaped.txt")));
        Assert.Empty(_target.Entries());
    }

    /// <summary>Rewrites the archive, replacing the content of entries for which <paramref name="replace"/> gives text, optionally adding one more file.</summary>
    private void Rewrite(Func<TarEntry, string?> replace, string? extra = null)
    {
        var copy = Archive + ".copy";
        using (var input = new TarReader(new GZipStream(File.OpenRead(Archive), CompressionMode.Decompress)))
        using (var output = new TarWriter(new GZipStream(File.Create(copy), CompressionLevel.Fastest), TarEntryFormat.Pax))
        {
            while (input.GetNextEntry(copyData: true) is { } entry)
            {
                if (replace(entry) is { } text) entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
                output.WriteEntry(entry);
            }
            if (extra is not null)
                output.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, extra) { DataStream = new MemoryStream("x"u8.ToArray()) });
        }
        File.Move(copy, Archive, overwrite: true);
    }
}
