using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Cache;

/// <summary>CacheStore: an entry is complete and verified, or it does not exist.</summary>
public sealed class CacheStoreTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly CacheStore _cache;

    public CacheStoreTests() => _cache = new CacheStore(Path.Combine(_temp.Path, "cache"));

    public void Dispose() => _temp.Dispose();

    private static readonly string Key = "aa" + new string('5', 62);

    private static CacheManifest Manifest(string key) => new(
        key, "train:resnet18", TrainKind.Name, new JsonObject { ["epochs"] = 1 },
        new Dictionary<string, string> { ["data"] = new('d', 64) }, Planner.RunnerVersion,
        DateTimeOffset.UnixEpoch, 1.5, []);

    private string Stage(string key, params (string Name, string Text)[] files)
    {
        var staging = _cache.BeginStaging(key);
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(staging, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        return staging;
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private string StagingRoot => Path.Combine(_cache.Root, "staging");

    [Fact]
    public void Commit_lists_every_file_with_size_and_sha256()
    {
        var staging = Stage(Key, ("model.bin", "weights!"), ("sub/train.json", "{\"x\":1}"));

        var entry = _cache.Commit(staging, Manifest(Key));

        Assert.False(Directory.Exists(staging));
        Assert.Equal(_cache.EntryDirectory(Key), entry.Directory);
        Assert.Equal(Path.Combine(_cache.Root, "aa", Key), entry.Directory);
        Assert.Equal(
            [new CachedFile("model.bin", 8, Sha("weights!")), new CachedFile(Path.Combine("sub", "train.json"), 7, Sha("{\"x\":1}"))],
            entry.Manifest.Files);
        Assert.True(File.Exists(Path.Combine(entry.Directory, CacheStore.ManifestFile)));

        var found = _cache.Find(Key);
        Assert.NotNull(found);
        Assert.Equal(entry.Manifest.Files, found.Manifest.Files);
        Assert.Equal("train:resnet18", found.Manifest.TaskId);
        Assert.Equal(new('d', 64), found.Manifest.Deps["data"]);
        Assert.Equal("""{"epochs":1}""", CanonicalJson.Serialize(found.Manifest.Params));
        Assert.Equal("weights!", File.ReadAllText(found.PathOf("model.bin")));
    }

    [Fact]
    public void Find_is_null_for_an_unknown_key()
    {
        Assert.Null(_cache.Find(Key));
    }

    [Fact]
    public void Find_is_null_when_a_listed_file_is_missing()
    {
        var entry = _cache.Commit(Stage(Key, ("a.txt", "hello"), ("b.txt", "world")), Manifest(Key));
        File.Delete(entry.PathOf("b.txt"));
        Assert.Null(_cache.Find(Key));
    }

    [Fact]
    public void Find_is_null_when_a_listed_file_is_truncated()
    {
        var entry = _cache.Commit(Stage(Key, ("a.txt", "hello")), Manifest(Key));
        File.WriteAllText(entry.PathOf("a.txt"), "hel");
        Assert.Null(_cache.Find(Key));
    }

    [Fact]
    public void Committing_a_key_twice_keeps_one_valid_entry()
    {
        var first = _cache.Commit(Stage(Key, ("a.txt", "first")), Manifest(Key));
        var secondStaging = Stage(Key, ("a.txt", "second!"));

        var second = _cache.Commit(secondStaging, Manifest(Key));

        Assert.Equal(first.Directory, second.Directory);
        Assert.False(Directory.Exists(secondStaging));
        Assert.Equal([Key], Directory.GetDirectories(Path.Combine(_cache.Root, "aa")).Select(Path.GetFileName));
        var found = _cache.Find(Key);
        Assert.NotNull(found);
        Assert.Equal("first", File.ReadAllText(found.PathOf("a.txt")));
        Assert.Equal(new CachedFile("a.txt", 5, Sha("first")), Assert.Single(found.Manifest.Files));
    }

    [Fact]
    public void Committing_over_a_damaged_entry_replaces_it()
    {
        var entry = _cache.Commit(Stage(Key, ("a.txt", "hello")), Manifest(Key));
        File.WriteAllText(entry.PathOf("a.txt"), "hel"); // damaged: Find now says it does not exist

        var repaired = _cache.Commit(Stage(Key, ("a.txt", "hello")), Manifest(Key));

        Assert.Equal("hello", File.ReadAllText(repaired.PathOf("a.txt")));
        Assert.NotNull(_cache.Find(Key));
    }

    [Fact]
    public void Abandoned_staging_leaves_nothing()
    {
        var staging = Stage(Key, ("a.txt", "partial"));
        _cache.AbandonStaging(staging);
        Assert.False(Directory.Exists(staging));
        Assert.Null(_cache.Find(Key));
    }

    [Fact]
    public void An_executor_that_writes_then_throws_leaves_no_entry_and_no_staging()
    {
        var spec = Yaml.Parse(Yaml.Basic(_temp.Sub("dataset")));
        var graph = Yaml.Plan(spec);
        var rig = new FakeRig(_cache);
        rig.Executors[DataKind.Name].FailFor.Add("data"); // writes out.txt, then throws

        rig.Run(graph);

        Assert.Contains("data", rig.AllCalls);
        Assert.Null(_cache.Find(graph["data"].Key));
        Assert.False(Directory.Exists(_cache.EntryDirectory(graph["data"].Key)));
        Assert.Empty(Directory.Exists(StagingRoot) ? Directory.GetFileSystemEntries(StagingRoot) : []);
    }

    [Fact]
    public void Latest_key_index_is_per_experiment_and_overwritable()
    {
        Assert.Null(_cache.LatestKey("exp", "data"));
        _cache.RecordLatest("exp", "data", "k1");
        _cache.RecordLatest("exp", "train:x", "k2");
        _cache.RecordLatest("exp", "data", "k3");
        _cache.RecordLatest("other", "data", "k4");

        Assert.Equal("k3", _cache.LatestKey("exp", "data"));
        Assert.Equal("k2", _cache.LatestKey("exp", "train:x"));
        Assert.Equal("k4", _cache.LatestKey("other", "data"));
        // a fresh store over the same folder sees the same index
        Assert.Equal("k3", new CacheStore(_cache.Root).LatestKey("exp", "data"));
    }
}
