using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>runner run --only, runner cache ls and gc through the real executable (data tasks only: no training).</summary>
public sealed class CacheCommandEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    private void Run(params string[] args)
    {
        var result = _experiment.Runner(args);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    [Fact]
    public void Gc_drops_the_entry_the_experiment_no_longer_uses_and_ls_shows_what_is_left()
    {
        Run("run", "tiny.yaml", "--only", "data");
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace("seed: 1", "seed: 2")); // a new split: a new data key
        Run("run", "tiny.yaml", "--only", "data");

        var gc = _experiment.Runner("cache", "gc", "tiny.yaml");
        var ls = _experiment.Runner("cache", "ls");

        Assert.True(gc.ExitCode == 0, gc.Output + gc.Error);
        Assert.Contains("removed 1 entries", gc.Output);
        var entry = Assert.Single(ls.Output.Split('\n'), l => l.Contains("  data  "));
        Assert.EndsWith("tiny", entry.TrimEnd());
        Assert.Contains("1 entries", ls.Output);
    }

    [Fact]
    public void Selections_that_match_nothing_or_bad_shards_are_bad_input()
    {
        var only = _experiment.Runner("run", "tiny.yaml", "--only", "train:efficientnet_*");
        var shard = _experiment.Runner("run", "tiny.yaml", "--shard", "3/2");

        Assert.Equal(2, only.ExitCode);
        Assert.Contains("--only 'train:efficientnet_*' matches no task; the tasks are: data, train:mobilenet_v2", only.Error);
        Assert.Equal(2, shard.ExitCode);
        Assert.Contains("--shard 3/2: expected K/N with 1 ≤ K ≤ N", shard.Error);
    }
}
