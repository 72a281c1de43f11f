using System.Globalization;
using Runner.Core.Config;
using Runner.Torch;
using Runner.Torch.Compute;
using Runner.Torch.Models;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using TorchSharp;

/// <summary>
/// <c>Runner.Bench throughput</c>: what a time task's <c>timing.throughput</c> measures (the same <see cref="ThroughputTiming"/>),
/// on randomly initialised architectures with ImageNet's 1000 classes, as timm's benchmark.py runs them; for bench/gpu.sh.
/// </summary>
internal static class ThroughputBench
{
    public static void Run(Options options, TorchRuntime runtime)
    {
        var head = new Head(1000);
        Console.Error.WriteLine($"device {runtime.Machine().DeviceName} ({runtime.Device}), cuDNN autotuning {(runtime.IsCuda ? "on" : "n/a")}");
        foreach (var name in options.Archs)
        {
            torch.manual_seed(0);
            using var model = ArchRegistry.Default[name].Create(head.Outputs);
            model.to(runtime.Device);
            var mode = new ComputeMode(options.Precision, options.ChannelsLast, runtime.Device);
            using var math = mode.Math(CancellationToken.None);
            mode.CastModel(model);
            mode.Layout(model);
            var spec = new ThroughputSpec(options.Batch, options.Warmup, options.Iterations, options.Detail);
            var timing = new ThroughputTiming(mode, spec, options.Size,
                runtime.Synchronize, _ => { }, (from, to) => Console.Error.WriteLine($"{name}: out of CUDA memory at batch {from}; trying {to}"));
            var r = timing.Measure(model, head);
            Console.WriteLine(string.Join('\t', name, options.Precision, options.ChannelsLast ? "channels_last" : "nchw",
                r.Inference.BatchSize, F(r.Inference.SamplesPerSecond), F(r.Inference.StepMs),
                r.Train.BatchSize, F(r.Train.SamplesPerSecond), F(r.Train.StepMs),
                F(r.Train.ForwardMs), F(r.Train.BackwardMs), F(r.Train.OptimizerMs)));
        }
    }

    private static string F(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";
}
