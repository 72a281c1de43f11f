using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>Bad images through the real executable: exit 2 before anything trains, or skipped and recorded on request.</summary>
public sealed class BadInputEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    private void AddTruncatedJpeg(string relative)
    {
        var path = Path.Combine(_experiment.Root, relative);
        TestImages.Noise(path, 48, 48);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
    }

    private string CacheRoot => Path.Combine(_experiment.Root, ".runner", "cache");

    [Fact]
    public void Truncated_jpeg_makes_run_exit_2_naming_the_file_with_nothing_trained_or_cached()
    {
        AddTruncatedJpeg("data/bright/cut.jpg");

        var run = _experiment.Runner("run", "tiny.yaml");

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("FAILED data: 1 bad input file in dataset data:", run.Error);
        Assert.Contains("data/bright/cut.jpg: truncated JPEG", run.Error);
        Assert.Contains("dataset.on_bad_image: skip", run.Error);
        Assert.Contains("0 ran, 0 cached, 1 failed, 4 skipped", run.Output);
        Assert.False(Directory.Exists(CacheRoot) && Directory.EnumerateFiles(CacheRoot, "manifest.json", SearchOption.AllDirectories).Any(),
            "nothing may be cached");
        Assert.False(Directory.Exists(_experiment.ReportDir));
    }

    [Fact]
    public void Missing_pretrained_weights_plan_fine_and_stop_run_with_exit_2_before_anything_executes()
    {
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace(
            "  - { name: mobilenet_v2, epochs: 1 }", "  - { name: mobilenet_v2, epochs: 1, weights: imagenet }"));

        var plan = _experiment.Runner("plan", "tiny.yaml");
        var run = _experiment.Runner("run", "tiny.yaml");

        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        Assert.Contains("5 of 5 tasks would run.", plan.Output);
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("tiny.yaml:16:47: backbone 'mobilenet_v2': no 'imagenet' weights for mobilenet_v2", run.Error);
        Assert.Contains("run `runner weights fetch mobilenet_v2`", run.Error);
        Assert.False(Directory.Exists(CacheRoot) && Directory.EnumerateFiles(CacheRoot, "manifest.json", SearchOption.AllDirectories).Any(),
            "nothing may run, not even the data task");
    }

    [Fact]
    public void Skip_mode_trains_on_the_rest_and_reports_the_skipped_file()
    {
        AddTruncatedJpeg("data/dark/cut.jpg");
        var yaml = File.ReadAllText(_experiment.Yaml);
        File.WriteAllText(_experiment.Yaml, yaml
            .Replace("  kind: folder\n", "  kind: folder\n  on_bad_image: skip\n")
            .Replace("batch_sizes: [1, 2]", "batch_sizes: [1]")); // keep timing short: this test is about the data
        Assert.NotEqual(yaml, File.ReadAllText(_experiment.Yaml));

        var validate = _experiment.Runner("validate", "tiny.yaml", "--hash-content");
        Assert.True(validate.ExitCode == 0, validate.Output + validate.Error);
        Assert.Contains("--hash-content has no effect", validate.Error);
        var run = _experiment.Runner("run", "tiny.yaml");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        var dataset = results.RootElement.GetProperty("dataset");
        var skipped = Assert.Single(dataset.GetProperty("skipped").EnumerateArray());
        Assert.Equal("data/dark/cut.jpg", skipped.GetProperty("file").GetString());
        Assert.StartsWith("truncated JPEG", skipped.GetProperty("problem").GetString());
        Assert.Equal(24, dataset.GetProperty("splits").EnumerateObject().Sum(s => s.Value.GetInt32()));
        Assert.Contains("| Skipped images | 1 ", File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md")));
    }
}
