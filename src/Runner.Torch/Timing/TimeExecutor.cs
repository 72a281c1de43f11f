using System.Diagnostics;
using System.Globalization;
using Runner.Core.Execution;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Compute;
using Runner.Torch.Data;
using Runner.Torch.Models;
using Runner.Torch.Training;
using TorchSharp;
using Runner.Core.Planning.Kinds;

namespace Runner.Torch.Timing;

/// <summary>
/// The <c>time</c> task: inference latency per batch size. The first call is reported apart (cold), then
/// warm-up calls, then n timed calls, each ended by a device synchronise before the clock is read. Inputs are made on
/// the device, in the backbone's precision and memory format; <c>timing.throughput</c> adds <see cref="ThroughputTiming"/>.
/// </summary>
public sealed class TimeExecutor(TorchRuntime runtime, ArchRegistry archs) : ITaskExecutor<TimeKind>
{
    public void Execute(TaskContext context)
    {
        // The scheduler keeps other tasks off the machine while this one runs; a decoded-image cache that is still filling
        // in the background would not be, so it finishes first (a failed fill was reported by the task that read it).
        DecodedImages.WaitForFills(TextWriter.Null);
        var b = context.Params<TimeParams>();
        var timing = b;
        var device = runtime.DeviceOf(context);
        var mode = new ComputeMode(b.Precision, b.ChannelsLast, device);
        using var math = mode.Math(context.Cancel);
        using var trained = TrainedModel.Load(context, archs[b.Arch], device);
        mode.CastModel(trained.Model);
        mode.Layout(trained.Model);
        var latency = new SortedDictionary<string, LatencyStats>(StringComparer.Ordinal);
        var throughput = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var step = 0;
        var steps = 0;
        void Tick(string label) => context.Progress.Update(++step, steps, label);
        var large = b.Throughput is { } spec
            ? new ThroughputTiming(mode, spec, b.ImageSize, () => TorchRuntime.Synchronize(device), Tick, (from, to) =>
                context.Log.Warning("{Task}: CUDA out of memory at batch size {From}; measuring throughput at {To}", context.Task.Id, from, to),
                context.Cancel)
            : null;
        steps = timing.BatchSizes.Count * (1 + timing.Warmup + timing.Iterations) + (large?.Steps ?? 0);

        using (torch.inference_mode())
        {
            foreach (var batchSize in timing.BatchSizes)
            {
                using var scope = torch.NewDisposeScope();
                torch.manual_seed(b.Seed);
                var input = mode.Input(torch.rand(batchSize, 3, b.ImageSize, b.ImageSize, device: device));
                double Call()
                {
                    context.Cancel.ThrowIfCancellationRequested();
                    var clock = Stopwatch.StartNew();
                    using (torch.NewDisposeScope())
                    {
                        using (mode.Autocast()) trained.Model.forward(input);
                        TorchRuntime.Synchronize(device);
                    }
                    Tick($"batch {batchSize}");
                    return clock.Elapsed.TotalMilliseconds;
                }

                var cold = Call();
                for (var i = 0; i < timing.Warmup; i++) Call();
                var samples = Enumerable.Range(0, timing.Iterations).Select(_ => Call()).ToList();
                var median = Statistics.Median(samples);
                latency[batchSize.ToString(CultureInfo.InvariantCulture)] = new LatencyStats(
                    median, Statistics.Quantile(samples, 0.95), Statistics.InterquartileRange(samples), samples.Count, cold);
                throughput[batchSize.ToString(CultureInfo.InvariantCulture)] = batchSize * 1000 / median;
            }
        }
        Json.Write(context.Output(TimingResult.FileName), new TimingResult(latency, throughput, runtime.Machine())
        {
            Precision = b.Precision,
            ChannelsLast = b.ChannelsLast,
            Throughput = large?.Measure(trained.Model, trained.Head),
            Gpu = TorchRuntime.Gpu(device),
            PeakGpuMemoryMb = runtime.IsCuda ? GpuFacts.ProcessMemoryMb(device.index) : null,
        });
    }
}
