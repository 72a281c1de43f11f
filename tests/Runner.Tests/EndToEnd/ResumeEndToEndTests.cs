using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>A run killed mid-training resumes from its last finished epoch and ends with the metrics of an uninterrupted run.</summary>
public sealed class ResumeEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();
    private readonly string _twin = Path.Combine(Path.GetTempPath(), "runner-e2e-twin-" + Guid.NewGuid().ToString("N")[..8]);

    /// <param name="compute">bf16 weights in NHWC strides: resume points must still load into a freshly built model.</param>
    [Theory]
    [InlineData("")]
    [InlineData("  precision: bf16\n  channels_last: true\n")]
    public void Killed_training_resumes_from_the_last_finished_epoch_with_identical_metrics(string compute)
    {
        _experiment.WriteYaml(epochs: 3, compute);
        TinyExperiment.CopyDirectory(_experiment.Root, _twin); // the same images and YAML, for an uninterrupted run

        var killed = RunnerProcess.Run(_experiment.Root, new Dictionary<string, string> { ["RUNNER_TEST_ABORT_AFTER_EPOCH"] = "1" },
            "run", "tiny.yaml");
        Assert.True(killed.ExitCode == 137, killed.Output + killed.Error);
        var resumeState = Directory.GetFiles(Path.Combine(_experiment.Root, ".runner"), "state.json", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f))) == "resume");
        double firstEpochSeconds;
        using (var state = JsonDocument.Parse(File.ReadAllText(resumeState)))
        {
            Assert.Equal(1, state.RootElement.GetProperty("epochs_done").GetInt32());
            firstEpochSeconds = state.RootElement.GetProperty("epoch_seconds")[0].GetDouble();
        }

        var resumed = _experiment.Runner("run", "tiny.yaml");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        var log = string.Concat(Directory.GetFiles(Path.Combine(_experiment.Root, ".runner", "logs")).Select(File.ReadAllText));
        Assert.True(log.Contains("resuming train:mobilenet_v2 from epoch 2"), log);
        Assert.False(Directory.Exists(Path.GetDirectoryName(resumeState)), "the resume point is deleted once the task commits");

        var uninterrupted = RunnerProcess.Run(_twin, "run", "tiny.yaml");
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Output + uninterrupted.Error);

        var a = Train(_experiment.ReportDir);
        var b = Train(Path.Combine(_twin, "reports", "tiny"));
        Assert.Equal(3, a.EpochSeconds.Length);
        Assert.Equal(firstEpochSeconds, a.EpochSeconds[0]);
        Assert.Equal(b.TrainLoss, a.TrainLoss);
        Assert.Equal(b.ValLogLoss, a.ValLogLoss);
    }

    private static (double[] EpochSeconds, double[] TrainLoss, double[] ValLogLoss) Train(string reportDir)
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportDir, "results.json")));
        var train = results.RootElement.GetProperty("backbones")[0].GetProperty("train");
        double[] List(string name) => train.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return (List("epoch_seconds"), List("train_loss"), List("val_log_loss"));
    }


    public void Dispose()
    {
        _experiment.Dispose();
        try { Directory.Delete(_twin, recursive: true); } catch (IOException) { }
    }
}
