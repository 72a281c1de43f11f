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
/// <see cref="TimedSteps"/> timed ones. Kept in the <see cref="EstimateStore"/> of this machine, so it runs once.
/// </summary>
public sealed class ThroughputProber(TorchRuntime runtime, ArchRegistry archs, EstimateStore store)
{
    public const int WarmupSteps = 2, TimedSteps = 3;

    /// <summary>The stored probe for the backbone, measuring it first when there is none; <paramref name="onProbe"/> hears which one runs.</summary>
    public Probe ProbeFor(BackboneSpec b, Action<string>? onProbe = null)
    {
        if (store.ProbeFor(b.Arch, b.ImageSize, b.BatchSize) is { } stored) return stored;
        onProbe?.Invoke(Probe.KeyOf(b.Arch, b.ImageSize, b.BatchSize));
        var probe = Measure(b);
        store.SaveProbe(b.Arch, b.ImageSize, b.BatchSize, probe);
        return probe;
    }

    private Probe Measure(BackboneSpec b)
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
        var train = Time(() =>
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            TrainExecutor.Loss(model, head, images, labels).backward();
            optimizer.step();
        });
        var memory = runtime.IsCuda ? GpuFacts.ProcessMemoryMb() ?? double.NaN : Environment.WorkingSet / (1024.0 * 1024.0);
        model.eval();
        var forward = Time(() =>
        {
            using var _ = torch.inference_mode();
            using var scope = torch.NewDisposeScope();
            model.forward(images);
        });
        return new Probe(train / b.BatchSize, forward / b.BatchSize, memory, gmacs, TimedSteps, DateTime.UtcNow);
    }

    /// <summary>Median seconds of one step after warm-up.</summary>
    private double Time(Action step)
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
