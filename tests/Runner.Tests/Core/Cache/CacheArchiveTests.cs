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

    [Fact]
    public void Manifest_names_that_leave_the_entry_are_refused_at_import_and_nothing_is_imported()
    {
        var victim = ArchiveBuilder.Key("victim");
        var leaking = ArchiveBuilder.Key("leaking");
        var absolute = ArchiveBuilder.Key("absolute");
        var evil = "#!/bin/sh\necho owned\n"u8.ToArray();
        var hostname = File.ReadAllBytes("/etc/hostname");
        var archive = new ArchiveBuilder()
            .Entry(victim, ("evil.sh", evil))
            // ../<victim>/evil.sh resolves to the victim entry's own file: hashed, it matched; copied out, it escaped.
            .File($"{leaking}/manifest.json", ArchiveBuilder.Manifest(leaking, ArchiveBuilder.Listed($"../{victim}/evil.sh", evil)))
            .File($"{absolute}/manifest.json", ArchiveBuilder.Manifest(absolute, ArchiveBuilder.Listed("/etc/hostname", hostname)))
            .Write(Archive);

        var e = Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, archive));

        Assert.Contains($"{leaking}: its manifest lists '../{victim}/evil.sh': a path that leaves the entry", e.Message);
        Assert.Contains($"{absolute}: its manifest lists '/etc/hostname': an absolute path", e.Message);
        Assert.Empty(_target.Entries());
        Assert.Empty(_target.StagingFolders());
    }

    [Fact]
    public void An_entry_whose_manifest_leaves_it_is_not_an_entry_so_it_is_never_exported_or_copied_from()
    {
        var data = Add(_source, "data", "d");
        _source.RecordLatest("exp", "data", data);
        // As an earlier runner would have imported it: its manifest lists a file outside its folder.
        var manifest = Path.Combine(_source.EntryDirectory(data), CacheStore.ManifestFile);
        var planted = File.ReadAllText(manifest).Replace("\"out.txt\"", "\"../../escaped.txt\"");
        File.WriteAllText(manifest, planted);
        Assert.Contains("../../escaped.txt", planted);

        Assert.Null(_source.Find(data, out var damage));
        Assert.Contains("a path that leaves the entry", damage);
        Assert.Empty(CacheArchive.Export(_source, "exp", Archive));
        var entry = new CacheEntry(_source.EntryDirectory(data), Runner.Core.Util.Json.Read<CacheManifest>(manifest));
        Assert.Throws<InvalidDataException>(() => entry.PathOf("../../escaped.txt"));
        Assert.Throws<InvalidDataException>(() => entry.PathOf("/etc/hostname"));
    }

    [Fact]
    public void A_file_larger_than_its_manifest_says_is_refused_before_a_byte_of_it_is_written()
    {
        var key = ArchiveBuilder.Key("bomb");
        const long declared = 100L * 1024 * 1024; // zeros: the archive stays about 100 KB
        var archive = new ArchiveBuilder()
            .File($"{key}/manifest.json", ArchiveBuilder.Manifest(key, ArchiveBuilder.Listed("model.bin", new byte[1024])))
            .Add(new PaxTarEntry(TarEntryType.RegularFile, $"{key}/model.bin") { DataStream = new ZeroStream(declared) })
            .Write(Archive);
        Assert.True(new FileInfo(archive).Length < 1024 * 1024);

        var (e, peak) = PeakStaging(() => Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, archive)));

        Assert.Contains($"{key}/model.bin: {declared:N0} bytes, the manifest says 1,024", e.Message);
        Assert.True(peak < 64 * 1024, $"the import staged {peak:N0} bytes before refusing");
        Assert.Empty(_target.Entries());
    }

    [Fact]
    public void Manifests_that_declare_more_than_the_archive_can_hold_are_refused_before_anything_is_written()
    {
        var key = ArchiveBuilder.Key("huge");
        var archive = new ArchiveBuilder()
            .File($"{key}/manifest.json", ArchiveBuilder.Manifest(key, new CachedFile("model.bin", 5_000_000_000, new string('0', 64))))
            .Write(Archive);

        var e = Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, archive));

        Assert.True(e.Message.Contains("its manifests declare 5,000,000,"), e.Message);
        Assert.Contains($"can hold ({CacheArchive.MaxExpansion}× its size plus 64 MiB)", e.Message);
        Assert.Empty(_target.StagingFolders());
    }

    [Fact]
    public void A_manifest_without_a_files_list_is_named_as_such()
    {
        var key = ArchiveBuilder.Key("nofiles");
        var manifest = System.Text.Encoding.UTF8.GetString(ArchiveBuilder.Manifest(key)).Replace("\"files\": []", "\"files\": null");
        Assert.Contains("\"files\": null", manifest);
        var archive = new ArchiveBuilder().File($"{key}/manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest)).Write(Archive);

        var e = Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, archive));

        Assert.Contains($"{key}: its manifest has no files list", e.Message);
        Assert.DoesNotContain("names key", e.Message);
    }

    [Fact]
    public void A_gzip_bomb_stops_at_the_expansion_bound()
    {
        var key = ArchiveBuilder.Key("zeros");
        var archive = new ArchiveBuilder()
            .Add(new PaxTarEntry(TarEntryType.RegularFile, $"{key}/zeros") { DataStream = new ZeroStream(200L * 1024 * 1024) })
            .Write(Archive);

        var (e, peak) = PeakStaging(() => Assert.Throws<DamagedArchiveException>(() => CacheArchive.Import(_target, archive)));

        Assert.Contains("comes before its entry's manifest.json", e.Message);
        Assert.True(e.Message.Contains("the archive expands to more than"), e.Message);
        Assert.True(peak < 64 * 1024, $"the import staged {peak:N0} bytes before refusing");
    }

    [Fact]
    public void An_import_killed_before_it_could_clean_up_is_cleaned_by_the_next_import()
    {
        int dead;
        using (var gone = System.Diagnostics.Process.Start("true")!)
        {
            gone.WaitForExit();
            dead = gone.Id;
        }
        var leftover = Path.Combine(_target.Root, "staging", $"{CacheStore.ImportStaging}.{dead}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(leftover);
        File.WriteAllBytes(Path.Combine(leftover, "half.bin"), new byte[4096]);
        var data = Add(_source, "data", "d");
        _source.RecordLatest("exp", "data", data);
        CacheArchive.Export(_source, "exp", Archive);

        CacheArchive.Import(_target, Archive);

        Assert.False(Directory.Exists(leftover));
        Assert.Empty(_target.StagingFolders());
    }

    [Fact]
    public void Gc_right_after_an_import_keeps_what_was_imported_because_import_records_the_index()
    {
        var data = Add(_source, "data", "d");
        var train = Add(_source, "train:a", "w", data);
        _source.RecordLatest("exp", "train:a", train);
        CacheArchive.Export(_source, "exp", Archive);
        CacheArchive.Import(_target, Archive);

        var gc = CacheInventory.Collect(_target, ["exp"], dryRun: false);

        Assert.Empty(gc.Removed);
        Assert.Equal(train, _target.LatestKey("exp", "train:a"));
        Assert.NotNull(_target.Find(train));
        Assert.NotNull(_target.Find(data));
    }

    /// <summary>Runs <paramref name="import"/>, sampling the bytes in the target cache's staging folders; returns its result and the peak.</summary>
    private (T Result, long Peak) PeakStaging<T>(Func<T> import)
    {
        var staging = Path.Combine(_target.Root, "staging");
        long peak = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (Directory.Exists(staging)) peak = Math.Max(peak, CacheInventory.SizeOf(staging));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // a folder deleted while it was listed
                }
                Thread.Sleep(2);
            }
        });
        try
        {
            return (import(), peak);
        }
        finally
        {
            stop.Cancel();
            sampler.Wait();
        }
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
