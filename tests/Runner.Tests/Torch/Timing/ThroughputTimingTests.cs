using Runner.Core.Config;
using Runner.Tests.Fixtures;
using Runner.Torch.Compute;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Timing;

/// <summary>timing.throughput on the CPU with a tiny model: what it records, in every precision and layout.</summary>
public sealed class ThroughputTimingTests
{
    public ThroughputTimingTests() => WeightsTestSupport.EnsureTorch();

    private static nn.Module<Tensor, Tensor> Model() => nn.Sequential(
        nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3));

    [Theory]
    [InlineData(Precisions.Fp32, false)]
    [InlineData(Precisions.AmpBf16, true)]
    [InlineData(Precisions.Bf16, true)]
    public void Inference_and_training_rates_are_recorded_with_the_batch_that_ran_and_the_steps_timed(string precision, bool channelsLast)
    {
        using var model = Model();
        var mode = new ComputeMode(precision, channelsLast, CPU);
        mode.CastModel(model);
        mode.Layout(model);
        var before = model.parameters().Last().detach().clone();
        var labels = new List<string>();
        var timing = new ThroughputTiming(mode, new ThroughputSpec(BatchSize: 6, Warmup: 2, Iterations: 5, Detail: true), 16, () => { }, labels.Add);

        var result = timing.Measure(model, new Head(3));

        foreach (var stats in new[] { result.Inference, result.Train })
        {
            Assert.Equal((6, 6, 5, 2), (stats.RequestedBatchSize, stats.BatchSize, stats.N, stats.Warmup));
            Assert.True(stats.SamplesPerSecond > 0 && double.IsFinite(stats.SamplesPerSecond));
            Assert.True(stats.StepMs > 0);
            // the rate is over the whole run, so it cannot beat the median step by much
            Assert.InRange(stats.SamplesPerSecond, 0, 2 * 6 * 1000 / stats.StepMs);
        }
        Assert.Null(result.Inference.ForwardMs);
        Assert.True(result.Train.ForwardMs > 0 && result.Train.BackwardMs > 0 && result.Train.OptimizerMs >= 0);
        Assert.Equal(timing.Steps, labels.Count);
        if (precision != Precisions.Bf16) // bfloat16 weights lose an SGD step of 1e-4: that mode is for timing, not training
            Assert.False(model.parameters().Last().detach().allclose(before, rtol: 0, atol: 0), "the training steps did not update the weights");
    }
}
