using System.Text.Json;
using Runner.Core.Cache;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// The real executable trains, evaluates, times and ensembles a vision transformer and a ConvNeXt on a tiny experiment
/// (16 px images scaled to 64, one epoch of three steps), with the options fine-tuning them needs: <c>trainable: last-N</c>,
/// <c>drop_path</c> and a features ensemble.
/// </summary>
public sealed class ModernFamiliesEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    [Fact]
    public void A_vit_and_a_convnext_train_evaluate_time_and_ensemble()
    {
        File.WriteAllText(_experiment.Yaml, """
            name: tiny
            dataset: { kind: folder, path: data, split: { validation: 0.25, test: 0.25, seed: 1 } }
            defaults: { image_size: 64, batch_size: 4, epochs: 1, drop_path: 0.2, trainable: last-2 }
            backbones:
              - vit_b_32
              - convnext_tiny
            ensembles:
              features: { members: [vit_b_32, convnext_tiny], method: logistic, inputs: features, epochs: 20 }
            timing: { warmup: 1, iterations: 3, batch_sizes: [1] }
            """);

        var run = _experiment.Runner("run", "tiny.yaml", "--progress", "plain");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // data, 2 × (train, eval, time, features), the ensemble, report
        Assert.Contains("11 tasks: 11 ran, 0 cached", run.Output);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        var backbones = results.RootElement.GetProperty("backbones").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal(["convnext_tiny", "vit_b_32"], backbones.Keys.Order(StringComparer.Ordinal));
        foreach (var b in backbones.Values)
        {
            Assert.Equal(6, b.GetProperty("metrics").GetProperty("test").GetProperty("n").GetInt32());
            Assert.True(b.GetProperty("timing").GetProperty("latency_ms").GetProperty("1").GetProperty("median").GetDouble() > 0);
        }
        var ensemble = results.RootElement.GetProperty("ensembles").EnumerateArray().Single();
        Assert.Equal("features", ensemble.GetProperty("inputs").GetString());

        // last-2 of 12 encoder layers (plus the final norm and head) of ViT-B/32; the ViT was built for 64 px (a 2×2 grid).
        var cache = new CacheStore(Path.Combine(_experiment.Root, ".runner", "cache"));
        var vit = Json.Read<TrainResult>(cache.Find(cache.LatestKey("tiny", "train:vit_b_32")!)!.PathOf(TrainResult.FileName));
        Assert.Equal(64, vit.ImageSize);
        Assert.InRange(vit.TrainableParams!.Value, 14_000_000, 15_000_000);
        var convnext = Json.Read<TrainResult>(cache.Find(cache.LatestKey("tiny", "train:convnext_tiny")!)!.PathOf(TrainResult.FileName));
        Assert.InRange(convnext.TrainableParams!.Value, 15_000_000, 16_000_000); // features.6 (downsampling) and .7 (the last stage)

        // drop_path is in the ConvNeXt's key only: changing it retrains the ConvNeXt and what depends on it, not the ViT.
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace("drop_path: 0.2", "drop_path: 0.1"));
        var plan = _experiment.Runner("plan", "tiny.yaml");
        Assert.Contains("stale   train:convnext_tiny", plan.Output);
        Assert.Contains("cached  train:vit_b_32", plan.Output);
    }
}
