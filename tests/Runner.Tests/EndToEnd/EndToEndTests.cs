using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// The walking skeleton as a user meets it: real training on real (tiny) images through the real executable,
/// then the cache, the staleness explanation and the report.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    [Fact]
    public void Run_trains_reports_then_reuses_the_cache_and_reruns_only_what_changed()
    {
        var first = _experiment.Runner("run", "tiny.yaml");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("5 tasks: 5 ran, 0 cached", first.Output);
        Assert.DoesNotContain("NNPACK", first.Error); // libtorch's per-convolution warning on CPUs NNPACK does not know

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        var backbone = results.RootElement.GetProperty("backbones")[0];
        Assert.Equal("mobilenet_v2", backbone.GetProperty("name").GetString());
        Assert.Equal(6, backbone.GetProperty("metrics").GetProperty("test").GetProperty("n").GetInt32());
        var logLoss = backbone.GetProperty("metrics").GetProperty("test").GetProperty("log_loss").GetDouble();
        Assert.InRange(logLoss, 0, 35);
        Assert.Single(backbone.GetProperty("train").GetProperty("epoch_seconds").EnumerateArray());
        Assert.Equal(5, backbone.GetProperty("timing").GetProperty("latency_ms").GetProperty("1").GetProperty("n").GetInt32());
        Assert.True(backbone.GetProperty("timing").GetProperty("latency_ms").TryGetProperty("2", out _));
        Assert.Equal(new[] { "bright", "dark" },
            results.RootElement.GetProperty("dataset").GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var readme = File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md"));
        Assert.Contains("## Training time per epoch", readme);
        Assert.Contains("| mobilenet_v2 |", readme);
        var train = backbone.GetProperty("train");
        Assert.Single(train.GetProperty("rss_mb").EnumerateArray(), m => m.GetDouble() > 0);
        Assert.Equal(4, train.GetProperty("effective_batch_size").GetInt32());
        Assert.Contains("| Data wait |", readme);
        Assert.Contains("| Test ECE | Test AUC |", readme);
        Assert.Contains("<details><summary>mobilenet_v2: loss per epoch, test confusion matrix", readme);
        Assert.Contains("| True \\ predicted | bright | dark |", readme);
        Assert.Contains("No previous results.json in the report folder", readme);
        Assert.Contains("![Inference latency vs test log loss](plot-latency-vs-log-loss.png)", readme);
        Assert.True(File.Exists(Path.Combine(_experiment.ReportDir, "plot-throughput.svg")));
        Assert.StartsWith("kind,name,", File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.csv")));

        File.Delete(Path.Combine(_experiment.ReportDir, "README.md"));
        var report = _experiment.Runner("report", "tiny.yaml");
        Assert.True(report.ExitCode == 0, report.Output + report.Error);
        Assert.Equal(readme, File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md")));

        Assert.True(File.Exists(Path.Combine(_experiment.ReportDir, Runner.Core.Reporting.ReportFolder.MarkerFile)));

        // --json: stdout is the JSON alone; progress and the summary go to stderr.
        var second = _experiment.Runner("run", "tiny.yaml", "--json");
        Assert.Equal(0, second.ExitCode);
        using var outcomes = System.Text.Json.JsonDocument.Parse(second.Output);
        Assert.All(outcomes.RootElement.EnumerateArray(), t => Assert.Equal("cached", t.GetProperty("outcome").GetString()));
        Assert.Contains("All 5 tasks were cached; nothing re-executed", second.Error);

        // A fresh checkout, a copy or a re-download gives every file a new mtime: the data key holds contents, so nothing is stale.
        var images = Directory.GetFiles(Path.Combine(_experiment.Root, "data"), "*.png", SearchOption.AllDirectories);
        foreach (var image in images) File.SetLastWriteTimeUtc(image, DateTime.UtcNow.AddHours(1));
        var touched = _experiment.Runner("plan", "tiny.yaml");
        Assert.True(touched.ExitCode == 0, touched.Output + touched.Error);
        Assert.Contains("Nothing to do: every task is cached.", touched.Output);

        var original = File.ReadAllBytes(images[0]);
        File.WriteAllBytes(images[0], [.. original[..^1], (byte)(original[^1] ^ 1)]);
        var changed = _experiment.Runner("plan", "tiny.yaml");
        Assert.Contains(changed.Output.Split('\n'), l => l.StartsWith("  stale   data", StringComparison.Ordinal) && l.Contains("files.digest"));
        Assert.Contains("5 of 5 tasks would run.", changed.Output);
        File.WriteAllBytes(images[0], original);

        _experiment.WriteYaml(epochs: 2);
        var plan = _experiment.Runner("plan", "tiny.yaml");
        Assert.Equal(0, plan.ExitCode);
        var lines = plan.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("cached  data", lines);
        Assert.Contains(lines, l => l.StartsWith("stale   train:mobilenet_v2", StringComparison.Ordinal)
            && l.EndsWith("changed: epochs 1 → 2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("stale   eval:mobilenet_v2", StringComparison.Ordinal)
            && l.Contains("dependency changed: train:mobilenet_v2"));
        Assert.Contains(lines, l => l.StartsWith("stale   time:mobilenet_v2", StringComparison.Ordinal)
            && l.Contains("dependency changed: train:mobilenet_v2"));
        Assert.Contains(lines, l => l.StartsWith("stale   report", StringComparison.Ordinal));
        Assert.Contains("4 of 5 tasks would run.", plan.Output);

        var third = _experiment.Runner("run", "tiny.yaml");
        Assert.Equal(0, third.ExitCode);
        Assert.Contains("5 tasks: 4 ran, 1 cached", third.Output);
        Assert.Contains("Compared with the results.json of", File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md")));
    }

    [Fact]
    public void Broken_experiment_is_rejected_with_location_and_exit_code_2_before_anything_runs()
    {
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace("name: mobilenet_v2", "name: mobilenet_v3"));
        foreach (var command in new[] { "validate", "run" })
        {
            var result = _experiment.Runner(command, "tiny.yaml");
            Assert.Equal(2, result.ExitCode);
            Assert.Matches(@"tiny\.yaml:16:13: backbones\[0\]: unknown backbone 'mobilenet_v3' \(did you mean 'mobilenet_v2'\?\)", result.Error);
        }
        Assert.False(Directory.Exists(Path.Combine(_experiment.Root, ".runner")), "nothing may execute or be cached");
        Assert.False(Directory.Exists(_experiment.ReportDir));
    }

    public void Dispose() => _experiment.Dispose();
}
