using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>matrix and repeats through the real executable: named variants, one timing per configuration, intervals and bootstrap in the report.</summary>
public sealed class RepeatsMatrixEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new(imagesPerClass: 8);

    public void Dispose() => _experiment.Dispose();

    [Fact]
    public void A_swept_and_repeated_backbone_reports_its_variants_intervals_and_paired_bootstrap()
    {
        File.WriteAllText(_experiment.Yaml, """
            name: tiny
            dataset:
              kind: folder
              path: data
              split: { validation: 0.25, test: 0.25, seed: 1 }
            defaults:
              image_size: 16
              batch_size: 4
              epochs: 1
              optimizer: { name: adam, lr: 1.0e-3 }
              repeats: { seeds: [1, 2] }
            matrix: { optimizer.lr: [1.0e-3, 3.0e-3] }
            backbones:
              - mobilenet_v2
            ensembles:
              pair: { members: [mobilenet_v2.lr1e-3.seed1, mobilenet_v2.lr3e-3.seed2], method: mean }
            timing: { warmup: 1, iterations: 3, batch_sizes: [1] }
            """);

        var run = _experiment.Runner("run", "tiny.yaml");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // data, 4 × (train, eval), 2 timings (one per configuration), the ensemble and the report
        Assert.Contains("13 tasks: 13 ran, 0 cached", run.Output);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        var root = results.RootElement;
        string[] variants = ["mobilenet_v2.lr1e-3.seed1", "mobilenet_v2.lr1e-3.seed2", "mobilenet_v2.lr3e-3.seed1", "mobilenet_v2.lr3e-3.seed2"];
        Assert.Equal(variants, root.GetProperty("backbones").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        var second = root.GetProperty("backbones")[1];
        Assert.Equal("mobilenet_v2.lr1e-3", second.GetProperty("variant").GetProperty("group").GetString());
        Assert.Equal(2, second.GetProperty("variant").GetProperty("seed").GetInt32());
        Assert.Equal(0.001, second.GetProperty("variant").GetProperty("swept").GetProperty("optimizer.lr").GetDouble());
        // the seed's timing is the first seed's (one time task per configuration), and says so
        var firstTiming = root.GetProperty("backbones")[0].GetProperty("timing");
        Assert.False(firstTiming.TryGetProperty("timed_by", out _));
        Assert.Equal("mobilenet_v2.lr1e-3.seed1", second.GetProperty("timing").GetProperty("timed_by").GetString());
        Assert.Equal(firstTiming.GetProperty("latency_ms").GetRawText(), second.GetProperty("timing").GetProperty("latency_ms").GetRawText());

        var groups = root.GetProperty("repeat_groups").EnumerateArray().ToList();
        Assert.Equal(["mobilenet_v2.lr1e-3", "mobilenet_v2.lr3e-3"], groups.Select(g => g.GetProperty("name").GetString()));
        var repeats = groups[0].GetProperty("repeats");
        Assert.Equal(2, repeats.GetProperty("n").GetInt32());
        Assert.Equal([1, 2], repeats.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        var logLoss = repeats.GetProperty("test").GetProperty("log_loss");
        var losses = variants[..2].Select(v => root.GetProperty("backbones").EnumerateArray().Single(b => b.GetProperty("name").GetString() == v)
            .GetProperty("metrics").GetProperty("test").GetProperty("log_loss").GetDouble()).ToList();
        Assert.Equal(losses.Average(), logLoss.GetProperty("mean").GetDouble(), 9);
        var ci = logLoss.GetProperty("ci95").EnumerateArray().Select(x => x.GetDouble()).ToList();
        Assert.True(ci[0] <= losses.Min() && ci[1] >= losses.Max(), $"{ci[0]}..{ci[1]} should cover {losses.Min()}..{losses.Max()}");
        Assert.True(repeats.GetProperty("test").GetProperty("accuracy").TryGetProperty("std", out _));
        Assert.True(repeats.GetProperty("seconds_per_epoch").GetProperty("mean").GetDouble() > 0);

        var models = root.GetProperty("backbones").EnumerateArray().Concat(root.GetProperty("ensembles").EnumerateArray()).ToList();
        var unbootstrapped = Assert.Single(models, m => !m.TryGetProperty("bootstrap", out _));
        var best = unbootstrapped.GetProperty("name").GetString();
        Assert.All(models.Where(m => m.TryGetProperty("bootstrap", out _)), m =>
        {
            var b = m.GetProperty("bootstrap");
            Assert.Equal(best, b.GetProperty("against").GetString());
            Assert.Equal(2000, b.GetProperty("resamples").GetInt32());
            Assert.True(b.GetProperty("difference").GetDouble() >= 0);
        });

        var readme = File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md"));
        Assert.Contains("## Repeats over seeds", readme);
        Assert.Contains("95 % Student t-interval", readme);
        Assert.Contains("| mobilenet_v2.lr3e-3 | 1, 2 (n = 2) |", readme);
        Assert.Contains($"Δ vs {best} (95 % CI)", readme);
        // the headline and the inference table speak of configurations: the seeds' mean, one timing each
        Assert.Matches(@"Lowest test log loss: \**(mobilenet_v2\.lr1e-3|mobilenet_v2\.lr3e-3|pair)\**? \(", readme);
        Assert.Contains("| mobilenet_v2.lr1e-3 | 16 |", readme);
        Assert.DoesNotContain("| mobilenet_v2.lr1e-3.seed2 | 16 |", readme);

        var only = _experiment.Runner("run", "tiny.yaml", "--only", "eval:mobilenet_v2.lr3e-3.*");
        Assert.True(only.ExitCode == 0, only.Output + only.Error);
    }
}
