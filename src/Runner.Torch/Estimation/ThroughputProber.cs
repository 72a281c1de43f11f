using System.Diagnostics;
using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Torch.Models;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using TorchSharp;

namespace Runner.Torch.Estimation;

/// <summary>
/// Measures a <see cref="Probe"/>: the backbone's architecture with a two-class head at its image size and batch size,
/// on random images, with its optimizer; <see cref="WarmupSteps"/> untimed steps, then the median of
/// <see cref="TimedSteps"/> timed ones. Its peak memory is the process's, so each probe runs in a process of its own
/// (<c>runner probe</c>, started by <c>plan --estimate</c>) and is kept in the <see cref="EstimateStore"/> of this machine.
/// </summary>
public static class ThroughputProber
{
    public const int WarmupSteps = 2, TimedSteps = 3;

    /// <summary>
    /// Measures in this process. <see cref="Probe.PeakMemoryMb"/> is this process's peak resident set (CPU: VmHWM, what
    /// <see cref="Process.PeakWorkingSet64"/> reads) or the GPU memory it holds (CUDA: nvidia-smi; the caching allocator
    /// keeps its peak), so it is the probe's own only in a process that ran nothing else.
    /// </summary>
    public static Probe Measure(TorchRuntime runtime, ArchRegistry archs, BackboneSpec b)
    {
        var arch = archs[b.Arch];
        var head = new Head(2);
        torch.manual_seed(b.Seed);
        using var model = arch.Create(head.Outputs, b.ImageSize);
        model.to(runtime.Device);
        var gmacs = Complexity.Measure(model, b.ImageSize).GMacs;
        using var optimizer = Optimizers.Create(b.Optimizer, model.parameters());
        using var images = torch.randn(b.BatchSize, 3, b.ImageSize, b.ImageSize, device: runtime.Device);
        using var labels = torch.randint(0, 2, b.BatchSize, device: runtime.Device);

        model.train();
        var train = Time(runtime, () =>
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            TrainExecutor.Loss(model, head, images, labels).backward();
            optimizer.step();
        });
        model.eval();
        var forward = Time(runtime, () =>
        {
            using var _ = torch.inference_mode();
            using var scope = torch.NewDisposeScope();
            model.forward(images);
        });
        using var process = Process.GetCurrentProcess();
        var memory = runtime.IsCuda ? GpuFacts.ProcessMemoryMb(runtime.Device.index) ?? double.NaN : process.PeakWorkingSet64 / (1024.0 * 1024.0);
        return new Probe(train / b.BatchSize, forward / b.BatchSize, memory, gmacs, TimedSteps, DateTime.UtcNow) { Machine = runtime.Machine().Id };
    }

    /// <summary>Median seconds of one step after warm-up.</summary>
    private static double Time(TorchRuntime runtime, Action step)
    {
        for (var i = 0; i < WarmupSteps; i++) step();
        runtime.Synchronize();
        var times = new List<double>();
        for (var i = 0; i < TimedSteps; i++)
        {
            var clock = Stopwatch.StartNew();
            step();
            runtime.Synchronize();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(TimedSteps / 2);
    }
}
