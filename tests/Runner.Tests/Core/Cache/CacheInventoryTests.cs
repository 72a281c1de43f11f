using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>cache ls and gc: gc keeps what experiments' last runs used (and their dependencies), and nothing a run holds.</summary>
public sealed class CacheInventoryTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly CacheStore _cache;

    public CacheInventoryTests() => _cache = new CacheStore(Path.Combine(_temp.Path, "cache"));

    public void Dispose() => _temp.Dispose();

    private static string KeyOf(string name) => CanonicalJson.Sha256(new JsonObject { ["name"] = name });

    private string Add(string taskId, string content, params string[] depKeys)
    {
        var key = KeyOf(taskId + content);
        var staging = _cache.BeginStaging(key);
        File.WriteAllText(Path.Combine(staging, "out.txt"), content);
        _cache.Commit(staging, new CacheManifest(key, taskId, taskId.Split(':')[0], new JsonObject(),
            depKeys.ToDictionary(k => k[..6], k => k), Planner.RunnerVersion, DateTimeOffset.UtcNow.AddHours(-2), 1, []));
        return key;
    }

    [Fact]
    public void Ls_lists_task_size_age_and_the_experiments_using_each_entry()
    {
        var data = Add("data", "12345");
        _cache.RecordLatest("exp", "data", data);

        var item = Assert.Single(CacheInventory.List(_cache));

        Assert.Equal(("data", "data", data), (item.TaskId, item.Kind, item.Key));
        Assert.True(item.Bytes > 5, "the manifest counts too");
        Assert.Equal(CacheInventory.SizeOf(_cache.EntryDirectory(data)), item.Bytes);
        Assert.InRange(DateTimeOffset.UtcNow - item.Created, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2.1));
        Assert.Equal(["exp"], item.Experiments);
    }

    [Fact]
    public void Gc_removes_what_no_listed_experiment_used_and_keeps_dependencies_and_leftover_free_staging()
    {
        var oldData = Add("data", "old");
        var data = Add("data", "new");
        var train = Add("train:a", "w", data);
        var gone = Add("train:a", "w2", oldData);
        var otherExperiment = Add("train:b", "o");
        _cache.RecordLatest("exp", "train:a", train); // data only reachable as train:a's dependency
        _cache.RecordLatest("deleted-experiment", "train:b", otherExperiment);
        var leftover = _cache.BeginStaging(oldData); // as a killed run leaves it

        var dry = CacheInventory.Collect(_cache, ["exp"], dryRun: true);
        Assert.Equal(new[] { gone, oldData, otherExperiment }.Order(), dry.Removed.Select(r => r.Key).Order());
        Assert.Equal(5, _cache.Entries().Count());

        var result = CacheInventory.Collect(_cache, ["exp"], dryRun: false);

        Assert.Equal(new[] { data, train }.Order(), _cache.Entries().Select(e => e.Manifest.Key).Order());
        Assert.Equal(1, result.LeftoversRemoved);
        Assert.False(Directory.Exists(leftover));
        Assert.Equal(dry.BytesFreed, result.BytesFreed);
    }

    [Fact]
    public void Gc_leaves_entries_and_staging_a_running_task_holds()
    {
        var busy = Add("train:a", "x");
        var staging = _cache.BeginStaging(KeyOf("being written"));
        using var running = _cache.TryLock(busy);
        using var writing = _cache.TryLock(KeyOf("being written"));

        var result = CacheInventory.Collect(_cache, ["exp"], dryRun: false);

        Assert.Equal([busy], result.InUse.Select(i => i.Key));
        Assert.NotNull(_cache.Find(busy));
        Assert.True(Directory.Exists(staging));
    }

    [Fact]
    public void Verify_tells_a_same_size_change_from_an_intact_entry()
    {
        var key = Add("data", "abc");
        Assert.Empty(CacheStore.Verify(_cache.Find(key)!));

        File.WriteAllText(Path.Combine(_cache.EntryDirectory(key), "out.txt"), "abd");

        Assert.NotNull(_cache.Find(key)); // the cheap check cannot see it
        Assert.Equal(["out.txt: SHA-256 differs from the manifest"], CacheStore.Verify(_cache.Find(key)!));
    }
    [Fact]
    public void Gc_keeps_the_entries_of_a_running_graph_that_no_experiment_file_it_was_given_names()
    {
        var data = Add("data", "d");
        var train = Add("train:a", "w", data);
        var unused = Add("train:a", "old");

        using (_cache.DeclareRun([train]))
        {
            var gc = CacheInventory.Collect(_cache, ["some-other-experiment"], dryRun: false);

            Assert.Equal([unused], gc.Removed.Select(r => r.Key));
            Assert.NotNull(_cache.Find(train));
            Assert.NotNull(_cache.Find(data)); // what the running graph depends on
        }
        Assert.Equal(2, CacheInventory.Collect(_cache, ["some-other-experiment"], dryRun: true).Removed.Count); // the run is over
    }

    [Fact]
    public void Gc_leaves_the_staging_folder_of_a_running_import_alone()
    {
        var live = _cache.BeginStaging(CacheStore.ImportStaging); // this very process: alive

        var gc = CacheInventory.Collect(_cache, ["exp"], dryRun: false);

        Assert.Equal(0, gc.LeftoversRemoved);
        Assert.True(Directory.Exists(live));
    }
}
