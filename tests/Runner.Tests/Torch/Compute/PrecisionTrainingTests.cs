using Runner.Core.Config;
using Runner.Tests.Fixtures;
using Runner.Torch.Compute;
using Runner.Torch.Models;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Compute;

/// <summary>
/// Reduced precision on the CPU, where autocast works as on CUDA: from one set of weights and one batch stream, a few
/// training steps in each precision end near fp32's loss.
/// </summary>
public sealed class PrecisionTrainingTests
{
    public PrecisionTrainingTests() => WeightsTestSupport.EnsureTorch();

    private const int Steps = 8;

    private static readonly Lazy<Run> Fp32 = new(() => Train(Precisions.Fp32));
    private static readonly Lazy<Run> SmallFp32 = new(() => Train(Precisions.Fp32, small: true));

    /// <param name="Loss">The mean loss of the second half of the steps.</param>
    private sealed record Run(double First, double Loss, GradScaler Scaler);

    /// <summary>
    /// Mean loss of the last steps of a short training (two classes: bright vs dark noise) in <paramref name="precision"/>:
    /// resnet18, or with <paramref name="small"/> a three-convolution network (float16 convolutions on the CPU are slow
    /// reference kernels).
    /// </summary>
    private static Run Train(string precision, bool channelsLast = false, bool small = false)
    {
        var head = new Head(2);
        using var model = small ? Small(head.Outputs) : ArchRegistry.Default["resnet18"].Create(head.Outputs);
        using (torch.no_grad())
        {
            var generator = new Generator(11);
            foreach (var p in model.parameters()) p.copy_(torch.randn(p.shape, generator: generator) * (small ? 0.3 : 0.05));
        }
        var mode = new ComputeMode(precision, channelsLast, CPU);
        mode.CastModel(model);
        mode.Layout(model);
        model.train();
        using var optimizer = Optimizers.Create(new OptimizerSpec("adam", small ? 1e-2 : 1e-3), model.parameters());
        var step = new TrainStep(mode, mode.Scaler());
        var data = new Generator(12);
        var losses = new List<double>();
        for (var i = 0; i < Steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var labels = torch.randint(0, 2, 8, generator: data, dtype: ScalarType.Int64);
            var images = torch.rand(8, 3, 32, 32, generator: data) * 0.5 + labels.view(8, 1, 1, 1).to_type(ScalarType.Float32) * 0.5;
            losses.Add(step.Run(model, head, images, labels, optimizer).item<float>());
        }
        return new Run(losses[0], losses.Skip(Steps / 2).Average(), step.Scaler);
    }

    private static nn.Module<Tensor, Tensor> Small(int outputs) => nn.Sequential(
        nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride: 2, padding: 1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 16, 3, stride: 2, padding: 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, outputs));

    [Theory]
    [InlineData(Precisions.AmpBf16, 0.03, false)]
    [InlineData(Precisions.AmpFp16, 0.02, true)]
    [InlineData(Precisions.Bf16, 0.03, false)]
    [InlineData(Precisions.Tf32, 1e-6, false)]
    public void A_few_steps_end_within_tolerance_of_fp32s_loss(string precision, double tolerance, bool small)
    {
        var fp32 = (small ? SmallFp32 : Fp32).Value;
        var run = Train(precision, small: small);

        Assert.True(fp32.Loss < 0.8 * fp32.First, $"fp32 did not learn: {fp32.First:F5} → {fp32.Loss:F5}"); // so the comparison means something
        Assert.True(Math.Abs(run.Loss - fp32.Loss) <= tolerance, $"{precision}: {run.Loss:F5}, fp32: {fp32.Loss:F5}");
        Assert.Equal(precision == Precisions.AmpFp16, run.Scaler.Enabled);
        Assert.True(run.Scaler.SkippedSteps <= 1, $"{run.Scaler.SkippedSteps} of {Steps} steps skipped"); // the first scale may overflow
    }

    [Fact]
    public void Channels_last_training_follows_nchws_losses()
    {
        var nchw = Fp32.Value.Loss;
        var nhwc = Train(Precisions.Fp32, channelsLast: true).Loss;
        Assert.True(Math.Abs(nhwc - nchw) <= 2e-3, $"channels_last {nhwc:F6}, NCHW {nchw:F6}");
    }
}
