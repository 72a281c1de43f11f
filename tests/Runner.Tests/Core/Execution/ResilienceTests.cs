using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;
using static Runner.Tests.Core.Execution.Graphs;

namespace Runner.Tests.Core.Execution;

/// <summary>Corrupt entries are re-executed and reported; a full or read-only cache stops the run clearly and harms nothing.</summary>
public sealed class ResilienceTests : IDisposable
{
    private readonly SchedulingRig _rig = new(TimeSpan.Zero, "data", "train", "eval");
    private static readonly TaskGraph Graph = Of(T("data:d"), T("train:a", "data:d"), T("eval:a", "train:a"), T("train:b", "data:d"));

    public void Dispose()
    {
        ReadOnlyTree.Undo(_rig.Cache.Root);
        _rig.Dispose();
    }

    private void AssertAllEntriesIntact()
    {
        foreach (var task in Graph.Tasks)
        {
            var entry = _rig.Cache.Find(task.Key);
            Assert.True(entry is not null, $"{task.Id} lost its entry");
            Assert.Empty(CacheStore.Verify(entry));
        }
    }

    [Fact]
    public void A_corrupt_entry_is_detected_reexecuted_and_reported()
    {
        _rig.Run(Graph);
        var entry = _rig.Cache.Find(Graph["train:a"].Key)!;
        File.WriteAllText(entry.PathOf("out.txt"), "train:X"); // same size, different bytes: only the hash tells
        _rig.Intervals.Clear();

        var result = _rig.Run(Graph).Tasks.ToDictionary(t => t.Task.Id.ToString());

        Assert.Equal(Outcome.Ran, result["train:a"].Outcome);
        Assert.Equal("cache entry was corrupt (out.txt: SHA-256 differs from the manifest); re-executed", result["train:a"].Note);
        Assert.Equal(["train:a"], _rig.Intervals.Select(i => i.Id.ToString()));
        Assert.Equal(Outcome.Cached, result["eval:a"].Outcome); // same key: its input is the same again
        AssertAllEntriesIntact();
    }

    [Fact]
    public void A_damaged_or_missing_manifest_is_reexecuted_with_a_note()
    {
        _rig.Run(Graph);
        File.WriteAllText(Path.Combine(_rig.Cache.EntryDirectory(Graph["train:b"].Key), CacheStore.ManifestFile), "{ \"key\": ");
        File.Delete(Path.Combine(_rig.Cache.EntryDirectory(Graph["eval:a"].Key), CacheStore.ManifestFile));

        var result = _rig.Run(Graph).Tasks.ToDictionary(t => t.Task.Id.ToString());

        Assert.Equal(Outcome.Ran, result["train:b"].Outcome);
        Assert.StartsWith("cache entry was corrupt (manifest.json: ", result["train:b"].Note);
        Assert.Equal(Outcome.Ran, result["eval:a"].Outcome);
        Assert.Equal("cache entry was corrupt (manifest.json: missing); re-executed", result["eval:a"].Note);
        AssertAllEntriesIntact();
    }

    [Fact]
    public void A_full_disk_fails_the_task_clearly_starts_nothing_else_and_keeps_earlier_entries()
    {
        _rig.Run(Graph);
        // /dev/full answers every write with ENOSPC, the error a full disk gives
        var train = new RecordingExecutor("train", TimeSpan.Zero, new(), []) { Write = _ => File.WriteAllText("/dev/full", new string('x', 1 << 16)) };
        _rig.Executors["train"] = train;

        var result = _rig.Run(Graph, new EngineOptions { Force = TaskSelection.Forced(Graph, ["train:*"]), Jobs = 1 }).Tasks.ToDictionary(t => t.Task.Id.ToString());

        Assert.Equal(Outcome.Failed, result["train:a"].Outcome);
        Assert.StartsWith($"no space left on device (the cache {_rig.Cache.Root} has ", result["train:a"].Error);
        Assert.Equal("not started: the cache cannot be written (see train:a)", result["train:b"].Error);
        Assert.Equal(Outcome.Cached, result["data:d"].Outcome);
        AssertAllEntriesIntact();
    }

    [Fact]
    public void A_read_only_cache_fails_clearly_and_keeps_its_entries()
    {
        _rig.Run(Graph);
        ReadOnlyTree.Apply(_rig.Cache.Root);

        var result = _rig.Run(Graph, new EngineOptions { Force = TaskSelection.Forced(Graph, ["train:b"]) });
        var train = result.Tasks.Single(t => t.Task.Id == "train:b");

        Assert.Equal(Outcome.Failed, train.Outcome);
        Assert.StartsWith($"the cache {_rig.Cache.Root} cannot be written: ", train.Error);
        Assert.All(result.Tasks.Where(t => t.Task.Id != "train:b"), t => Assert.Equal(Outcome.Cached, t.Outcome));
        ReadOnlyTree.Undo(_rig.Cache.Root);
        AssertAllEntriesIntact();
    }
}
