using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// The quickstart's data at its size (600 Fashion-MNIST images at 32 px, two backbones from scratch, an ensemble), trained (one epoch) and
/// timed in amp_bf16 with channels_last through the real executable on the CPU, with throughput timing.
/// </summary>
public sealed class ComputeEndToEndTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void An_amp_bf16_channels_last_run_completes_and_records_both_in_results_json()
    {
        var data = Path.Combine(ReferenceFixtures.RepoRoot(), "data", "fashion-mnist-shirts");
        File.WriteAllText(Path.Combine(_temp.Path, "compute.yaml"), $"""
            name: compute
            dataset:
              kind: folder
              path: {data}
              split: {"{"} validation: 0.2, test: 0.2, stratify: true, seed: 42 {"}"}
            defaults:
              image_size: 32
              epochs: 1
              batch_size: 16
              optimizer: {"{"} name: adam, lr: 1.0e-3 {"}"}
              precision: amp_bf16
              channels_last: true
            backbones:
              - resnet18
              - {"{"} name: mobilenet_v2, precision: fp32 {"}"}
            ensembles:
              averaged: {"{"} members: [resnet18, mobilenet_v2], method: mean {"}"}
            timing:
              warmup: 2
              iterations: 5
              batch_sizes: [1, 16]
              throughput: {"{"} batch_size: 32, warmup: 1, iterations: 3, detail: true {"}"}
            """);

        var run = RunnerProcess.Run(_temp.Path, "run", "compute.yaml");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.Path, "reports", "compute", "results.json")));
        var backbones = results.RootElement.GetProperty("backbones").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        var resnet = backbones["resnet18"];
        Assert.Equal(("amp_bf16", true), (resnet.GetProperty("precision").GetString(), resnet.GetProperty("channels_last").GetBoolean()));
        var mobilenet = backbones["mobilenet_v2"];
        Assert.Equal(("fp32", true), (mobilenet.GetProperty("precision").GetString(), mobilenet.GetProperty("channels_last").GetBoolean()));
        var test = resnet.GetProperty("metrics").GetProperty("test");
        Assert.Equal(120, test.GetProperty("n").GetInt32());
        Assert.InRange(test.GetProperty("log_loss").GetDouble(), 0, 2); // finite, and not a model that learnt nothing sensible
        Assert.All(resnet.GetProperty("train").GetProperty("train_loss").EnumerateArray(), l => Assert.True(double.IsFinite(l.GetDouble())));
        Assert.False(resnet.GetProperty("train").TryGetProperty("skipped_steps", out _)); // no loss scaling outside amp_fp16
        var throughput = resnet.GetProperty("timing").GetProperty("throughput");
        Assert.Equal(32, throughput.GetProperty("inference").GetProperty("batch_size").GetInt32());
        Assert.True(throughput.GetProperty("train").GetProperty("samples_per_second").GetDouble() > 0);
        Assert.True(throughput.GetProperty("train").GetProperty("backward_ms").GetDouble() > 0);
        var readme = File.ReadAllText(Path.Combine(_temp.Path, "reports", "compute", "README.md"));
        Assert.Contains("| resnet18 | none | 32 | 16 | amp_bf16, channels_last |", readme);
        Assert.Contains("## Throughput (timm's benchmark)", readme);
    }

    public void Dispose() => _temp.Dispose();
}
