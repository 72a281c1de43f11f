using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>The real executable on a tiny experiment with three ensemble groups over two backbones.</summary>
public sealed class EnsembleEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    private void WriteYaml(int resnetEpochs) => File.WriteAllText(_experiment.Yaml, $$"""
        name: tiny
        dataset: { kind: folder, path: data, split: { validation: 0.25, test: 0.25, seed: 1 } }
        defaults: { image_size: 16, batch_size: 4, epochs: 1 }
        backbones:
          - mobilenet_v2
          - { name: resnet18, epochs: {{resnetEpochs}} }
        ensembles:
          avg: { members: [mobilenet_v2, resnet18], method: mean }
          stack: { members: [resnet18, mobilenet_v2], hidden: [4], epochs: 20, folds: 2 }
          feat: { members: [mobilenet_v2, resnet18], method: logistic, inputs: features, epochs: 20 }
        timing: { warmup: 1, iterations: 3, batch_sizes: [1] }
        """);

    [Fact]
    public void Ensembles_are_fitted_from_cached_predictions_and_land_in_results_json()
    {
        WriteYaml(resnetEpochs: 1);
        var run = _experiment.Runner("run", "tiny.yaml");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // data, 2 × (train, eval, time), 2 features, 3 ensembles, report
        Assert.Contains("13 tasks: 13 ran, 0 cached", run.Output);

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        var backbones = results.RootElement.GetProperty("backbones").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        double TestLogLoss(JsonElement e) => e.GetProperty("metrics").GetProperty("test").GetProperty("log_loss").GetDouble();
        var ensembles = results.RootElement.GetProperty("ensembles").EnumerateArray().ToList();
        Assert.Equal(["avg", "stack", "feat"], ensembles.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["mean", "stacking", "logistic"], ensembles.Select(e => e.GetProperty("method").GetString()));
        Assert.Equal(["probabilities", "logits", "features"], ensembles.Select(e => e.GetProperty("inputs").GetString()));
        var latencySum = backbones.Values.Sum(b => b.GetProperty("timing").GetProperty("latency_ms").GetProperty("1").GetProperty("median").GetDouble());
        var best = backbones.Values.MinBy(TestLogLoss);
        foreach (var e in ensembles)
        {
            Assert.Equal(6, e.GetProperty("metrics").GetProperty("test").GetProperty("n").GetInt32());
            Assert.Equal(6, e.GetProperty("metrics").GetProperty("validation").GetProperty("n").GetInt32());
            Assert.Equal(latencySum, e.GetProperty("latency_ms_sum").GetDouble(), 9);
            Assert.Equal(best.GetProperty("name").GetString(), e.GetProperty("best_member").GetString());
            Assert.Equal(TestLogLoss(best) - TestLogLoss(e), e.GetProperty("gain_over_best_member").GetDouble(), 9);
        }
        Assert.Equal([4], ensembles[1].GetProperty("hidden").EnumerateArray().Select(h => h.GetInt32()));

        WriteYaml(resnetEpochs: 2);
        var plan = _experiment.Runner("plan", "tiny.yaml");
        var stale = plan.Output.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("stale", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(["ensemble:avg", "ensemble:feat", "ensemble:stack", "eval:resnet18", "features:resnet18", "report", "time:resnet18", "train:resnet18"],
            stale.Order(StringComparer.Ordinal));
    }
}
