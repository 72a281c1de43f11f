using Runner.Core.Cache;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>A damaged <c>.runner/cache/index/*.json</c> is ignored with a warning and rewritten, never an unhandled exception.</summary>
public sealed class DamagedCacheIndexTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("{ \"train:a\": ")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    [InlineData("{ \"train:a\": null }")]
    [InlineData("\0\0\0\0")]
    public void Listing_collecting_and_recording_survive_a_damaged_index(string damage)
    {
        var cache = new CacheStore(Path.Combine(_dir.Path, "cache"));
        cache.RecordLatest("exp", "train:a", new string('a', 64));
        var index = Path.Combine(cache.Root, "index", "exp.json");
        File.WriteAllText(index, damage);

        Assert.Empty(CacheInventory.List(cache));
        Assert.Empty(CacheInventory.Collect(cache, ["exp"], dryRun: true).Removed);
        Assert.Null(cache.LatestKey("exp", "train:a"));

        cache.RecordLatest("exp", "train:b", new string('b', 64));
        Assert.Equal(new string('b', 64), cache.LatestKey("exp", "train:b"));
    }
}
