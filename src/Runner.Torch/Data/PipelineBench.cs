using System.Diagnostics;
using System.Globalization;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Torch.Models;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Data;

/// <summary>
/// <c>runner data bench</c>: the input pipeline alone for one backbone of an experiment — filling the decoded-image cache,
/// then training epochs of shuffled, augmented, normalised batches that are built and thrown away — in images per second
/// of wall time and per CPU-second; optionally the rate at which a train step of the backbone would consume them.
/// </summary>
/// <remarks>
/// With a fill to measure, the cache is filled twice: once alone (the decode rate), then again from scratch while the
/// first epoch reads it, as training does (the first epoch's rate including its decoding).
/// </remarks>
public static class PipelineBench
{
    public sealed record Options(int Epochs, int Workers, bool Fresh, bool TrainStep, int TrainIterations = 3);

    /// <param name="Machine">Id of the machine that measured it (<see cref="TorchRuntime.Machine"/>).</param>
    public sealed record Result(double FillImagesPerSecond, double FirstEpochImagesPerSecond, double SteadyImagesPerSecond,
        double SteadyImagesPerCpuSecond, double? TrainStepImagesPerSecond, string Machine);

    public static Result Run(SplitManifest manifest, BackboneSpec backbone, ArchDefinition arch, TorchRuntime runtime, Options options,
        TextWriter output)
    {
        var train = manifest.In(Splits.Train).ToList();
        var size = backbone.ImageSize;
        output.WriteLine($"{manifest.Root}: {manifest.Items.Count} images ({train.Count} in train); {backbone.Name} ({backbone.Arch}) at {size} px, " +
            $"batch {backbone.BatchSize}, augment {(backbone.Augment.Count == 0 ? "none" : $"{backbone.AugmentName} ({string.Join(", ", backbone.Augment.Select(a => a.Kind))})")}, " +
            $"{options.Workers} worker{(options.Workers == 1 ? "" : "s")}, {Environment.ProcessorCount} cores");
        var machine = runtime.Machine();
        output.WriteLine($"machine {machine.Id}: {machine.Describe()}");

        if (options.Fresh) DecodedImages.Delete(manifest, size);
        var fillCpu = CpuTime();
        var images = DecodedImages.For(manifest, size, options.Workers);
        images.WaitComplete();
        fillCpu = CpuTime() - fillCpu;
        var fillRate = images.Decoded > 0 ? images.Decoded / images.FillTime.TotalSeconds : double.NaN;
        output.WriteLine(images.Decoded > 0
            ? $"cache fill: decoded {images.Decoded} images in {images.FillTime.TotalSeconds:0.00} s: {F(fillRate)} img/s " +
              $"({F(images.Decoded / fillCpu.TotalSeconds)} img/CPU-s) -> {images.Path} ({new FileInfo(images.Path).Length / 1e6:0.0} MB)"
            : $"cache fill: none, {images.Path} was complete (0 images decoded)");

        var filled = images.Decoded > 0;
        var fillSeconds = images.FillTime.TotalSeconds;
        var sinceRefill = Stopwatch.StartNew();
        if (filled)
        {
            DecodedImages.Delete(manifest, size);
            images = DecodedImages.For(manifest, size, options.Workers);
        }
        var batches = new Batches(images, arch.Normalization) { Workers = options.Workers };
        var epochs = new List<(double Seconds, double Cpu)>();
        var firstWithFill = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            var cpu = CpuTime();
            var clock = Stopwatch.StartNew();
            var count = 0;
            TimeSpan waited;
            using (var loader = batches.Epoch(train, backbone.BatchSize, backbone.Augment, backbone.Seed, epoch))
            {
                while (loader.Next() is { } batch)
                    using (batch)
                        count += batch.Count;
                waited = loader.Waited;
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (CpuTime() - cpu).TotalSeconds;
            epochs.Add((seconds, cpuSeconds));
            output.WriteLine($"epoch {epoch + 1}: {count} images in {seconds:0.000} s: {F(count / seconds)} img/s, " +
                $"{F(count / cpuSeconds)} img/CPU-s ({cpuSeconds / seconds:0.00} cores busy; consumer waited {waited.TotalSeconds:0.000} s)");
            if (epoch == 0 && filled)
            {
                images.WaitComplete(); // the cache is done too, not just the training images
                var withFill = sinceRefill.Elapsed.TotalSeconds;
                firstWithFill = train.Count / withFill;
                output.WriteLine($"epoch 1 read the cache while it filled again from scratch: epoch and fill ({images.Decoded} images) " +
                    $"done in {withFill:0.000} s");
            }
        }
        var steady = epochs.Count > 1 ? epochs.Skip(1).ToList() : epochs;
        var steadyRate = train.Count * steady.Count / steady.Sum(e => e.Seconds);
        var steadyCpuRate = train.Count * steady.Count / steady.Sum(e => e.Cpu);
        output.WriteLine($"overall: {F(steadyRate)} img/s, {F(steadyCpuRate)} img/CPU-s over {(epochs.Count > 1 ? $"epochs 2-{epochs.Count}" : "epoch 1")}; " +
            $"first epoch including the cache fill: {F(firstWithFill)} img/s" +
            (filled && epochs.Count > 1
                ? $" (filling first, then reading: {F(train.Count / (fillSeconds + steady.Average(e => e.Seconds)))} img/s)"
                : ""));

        double? trainRate = null;
        if (options.TrainStep)
        {
            var (median, samples) = TimeTrainStep(arch, backbone, runtime, manifest.Classes.Count, options.TrainIterations);
            trainRate = backbone.BatchSize / median;
            output.WriteLine($"train step: {backbone.Arch} at {size} px, batch {backbone.BatchSize} on {runtime.Device.type.ToString().ToLowerInvariant()} " +
                $"({torch.get_num_threads()} threads): {median:0.000} s per step (median of {samples}), consumes {F(trainRate.Value)} img/s");
        }
        var result = new Result(fillRate, firstWithFill, steadyRate, steadyCpuRate, trainRate, machine.Id);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT machine={machine.Id} workers={options.Workers} fill_img_s={result.FillImagesPerSecond:0.0} first_epoch_img_s={result.FirstEpochImagesPerSecond:0.0} " +
            $"steady_img_s={result.SteadyImagesPerSecond:0.0} steady_img_cpu_s={result.SteadyImagesPerCpuSecond:0.0} " +
            $"train_step_img_s={(result.TrainStepImagesPerSecond is { } t ? t.ToString("0.0", CultureInfo.InvariantCulture) : "n/a")}"));
        return result;
    }

    /// <summary>Median seconds of a full train step (forward, loss, backward, Adam) on random input, after one warm-up step.</summary>
    private static (double Median, int Samples) TimeTrainStep(ArchDefinition arch, BackboneSpec backbone, TorchRuntime runtime, int classes,
        int iterations)
    {
        var head = new Head(classes);
        torch.manual_seed(backbone.Seed);
        using var model = arch.Create(head.Outputs, backbone.ImageSize);
        model.to(runtime.Device);
        model.train();
        using var optimizer = torch.optim.Adam(model.parameters(), lr: backbone.Optimizer.Lr);
        using var input = torch.rand(backbone.BatchSize, 3, backbone.ImageSize, backbone.ImageSize).to(runtime.Device);
        using var labels = torch.randint(0, classes, backbone.BatchSize, dtype: ScalarType.Int64).to(runtime.Device);
        var samples = new List<double>();
        for (var i = 0; i <= iterations; i++)
        {
            using var scope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            TrainExecutor.Loss(model, head, input, labels).backward();
            optimizer.step();
            runtime.Synchronize();
            if (i > 0) samples.Add(clock.Elapsed.TotalSeconds);
        }
        samples.Sort();
        return (samples[samples.Count / 2], samples.Count);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string F(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.0", CultureInfo.InvariantCulture);
}
