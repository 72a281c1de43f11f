using System.Text.RegularExpressions;
using Runner.Core.Cache;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>Two real <c>runner run</c> processes on one cache at once: every task executes once, every entry verifies.</summary>
public sealed class ConcurrentRunsEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    [Fact]
    public async Task Two_runs_on_one_cache_share_the_work_without_executing_a_key_twice()
    {
        _experiment.WriteYaml(epochs: 2);

        var runs = await Task.WhenAll(Task.Run(() => _experiment.Runner("run", "tiny.yaml")), Task.Run(() => _experiment.Runner("run", "tiny.yaml")));

        foreach (var run in runs) Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var log = string.Concat(Directory.GetFiles(Path.Combine(_experiment.Root, ".runner", "logs"), "runner-*.log").Select(File.ReadAllText));
        var executed = Regex.Matches(log, @"Running (\S+) \(").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["data", "eval:mobilenet_v2", "report", "time:mobilenet_v2", "train:mobilenet_v2"], executed.Order(StringComparer.Ordinal));
        var cache = new CacheStore(Path.Combine(_experiment.Root, ".runner", "cache"));
        Assert.Equal(5, cache.Entries().Count());
        Assert.All(cache.Entries(), e => Assert.Empty(CacheStore.Verify(e)));
        Assert.Empty(cache.StagingFolders());
    }
}
