using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>A learning rate that blows training up: the task fails naming epoch and batch, and no NaN model reaches the cache.</summary>
public sealed class DivergenceEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    [Fact]
    public void A_diverging_training_fails_its_task_naming_epoch_and_batch_and_caches_nothing_for_it()
    {
        var yaml = File.ReadAllText(_experiment.Yaml);
        File.WriteAllText(_experiment.Yaml, yaml.Replace("optimizer: { name: adam, lr: 1.0e-3 }", "optimizer: { name: sgd, lr: 10, momentum: 0.9 }"));
        Assert.NotEqual(yaml, File.ReadAllText(_experiment.Yaml));

        var run = _experiment.Runner("run", "tiny.yaml");

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Matches(@"FAILED train:mobilenet_v2: training diverged: the loss is (NaN|-?∞|-?Infinity) at epoch 1, batch \d+ of \d+; lower the learning rate or set grad_clip", run.Error);
        var cached = Directory.EnumerateFiles(Path.Combine(_experiment.Root, ".runner", "cache"), "manifest.json", SearchOption.AllDirectories)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("task_id").GetString()).ToList();
        Assert.Contains("data", cached);
        Assert.DoesNotContain(cached, id => id!.Contains("mobilenet_v2", StringComparison.Ordinal));
    }

    [Fact]
    public void Predictions_that_are_nan_while_the_training_loss_stays_finite_fail_the_training_as_diverged()
    {
        var yaml = File.ReadAllText(_experiment.Yaml);
        File.WriteAllText(_experiment.Yaml, yaml
            .Replace("optimizer: { name: adam, lr: 1.0e-3 }", "optimizer: { name: sgd, lr: 9.5, momentum: 0.99 }")
            .Replace("name: mobilenet_v2", "name: mobilenet_v3_small"));

        var run = _experiment.Runner("run", "tiny.yaml");

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("FAILED train:mobilenet_v3_small: training diverged: the validation predictions after epoch 1 hold NaN or infinity",
            run.Error);
        Assert.False(File.Exists(Path.Combine(_experiment.ReportDir, "README.md")), "no report with NaN in it");
    }
}
