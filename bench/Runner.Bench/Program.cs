using System.Diagnostics;
using System.Globalization;
using Runner.Core.Util;
using Runner.Torch;
using Runner.Torch.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

// usage: Runner.Bench models ARCH[,ARCH…] --batch 8 --size 128 --threads 2 --warmup 3 --iterations 10 --weights DIR
//   [--forward-only] [--channels-last]
// Prints one tab-separated line per arch: arch, forward ms (median), forward IQR, train step ms (median), train IQR, n
// (train n/a with --forward-only). --channels-last lays the model and input out NHWC as `channels_last: true` does
// (Runner.Torch's ChannelsLast).
// usage: Runner.Bench train ARCH[,ARCH…] --batch 16 --size 32 --threads 2 --warmup 3 --iterations 20 --weights DIR
// Runner's train step as TrainExecutor runs it (Head loss over 10 classes, Optimizers' Adam with the learning rate set
// every step, a dispose scope per batch) on fixed random batches; prints arch, img/s (median step), step ms, IQR, n.
// usage: Runner.Bench throughput ARCH[,ARCH…] --batch 256 --size 224 --precision amp_fp16 [--channels-last] [--detail]
//   --warmup 10 --iterations 40 --device cuda
// timm-comparable samples/s (what a time task's `timing.throughput` measures), random weights; prints arch, precision, layout,
// inference batch, inference samples/s, step ms, train batch, train samples/s, step ms (and forward, backward, optimizer ms).
// usage: Runner.Bench fingerprint DIR   (see FingerprintBench)
if (args is ["fingerprint", var folder])
{
    FingerprintBench.Run(folder);
    return;
}
var options = Options.Parse(args);
var runtime = TorchRuntime.Start(options.Device, options.Threads);
Console.Error.WriteLine($"TorchSharp {TorchRuntime.TorchSharpVersion}, libtorch {TorchRuntime.LibTorchVersion}, {torch.get_num_threads()} threads");
if (options.Mode == "train")
{
    TrainMode(options);
    return;
}
if (options.Mode == "throughput")
{
    ThroughputBench.Run(options, runtime);
    return;
}
var layout = new Runner.Torch.Compute.ComputeMode(Runner.Core.Config.Precisions.Fp32, options.ChannelsLast, CPU);
foreach (var name in options.Archs)
{
    var arch = ArchRegistry.Default[name];
    using var model = arch.Create(1000, options.Size);
    var weights = Path.Combine(options.WeightsDir, name + ".pth");
    if (File.Exists(weights))
    {
        model.load_py(weights, strict: true);
        foreach (var parameter in model.parameters()) parameter.requires_grad = true; // load_py copies torch's saved flag (false)
    }
    else Console.Error.WriteLine($"{name}: no {weights}; using this process's random initialisation");
    layout.Layout(model);
    torch.manual_seed(0);
    using var input = layout.Input(torch.rand(options.Batch, 3, options.Size, options.Size));
    using var labels = torch.randint(0, 1000, options.Batch, dtype: ScalarType.Int64);

    model.eval();
    var forward = Measure(options, () =>
    {
        using var _ = torch.inference_mode();
        model.forward(input);
    });

    if (options.ForwardOnly)
    {
        Console.WriteLine(string.Join('\t', name, F(Statistics.Median(forward)), F(Statistics.InterquartileRange(forward)), "n/a", "n/a",
            options.Iterations));
        continue;
    }
    model.train();
    using var optimizer = torch.optim.Adam(model.parameters(), lr: 1e-4);
    var train = Measure(options, () =>
    {
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(input), labels);
        loss.backward();
        optimizer.step();
    });
    Console.WriteLine(string.Join('\t', name, F(Statistics.Median(forward)), F(Statistics.InterquartileRange(forward)),
        F(Statistics.Median(train)), F(Statistics.InterquartileRange(train)), options.Iterations));
}
_ = runtime;

static void TrainMode(Options options)
{
    var head = new Runner.Torch.Training.Head(10);
    foreach (var name in options.Archs)
    {
        var arch = ArchRegistry.Default[name];
        torch.manual_seed(0);
        using var model = arch.Create(head.Outputs);
        model.train();
        using var optimizer = Runner.Torch.Training.Optimizers.Create(new Runner.Core.Config.OptimizerSpec("adam", 1e-3), model.parameters());
        using var images = torch.rand(options.Batch, 3, options.Size, options.Size);
        using var labels = torch.randint(0, 10, options.Batch, dtype: ScalarType.Int64);
        var step = 0;
        var samples = Measure(options, () =>
        {
            Runner.Torch.Training.Optimizers.SetLearningRate(optimizer, 1e-3 / (1 + 1e-3 * step++));
            optimizer.zero_grad();
            var loss = head.Loss(model.forward(images), labels);
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
        });
        var median = Statistics.Median(samples);
        Console.WriteLine(string.Join('\t', name, F(options.Batch * 1000 / median), F(median), F(Statistics.InterquartileRange(samples)),
            options.Iterations));
    }
}

static List<double> Measure(Options options, Action step)
{
    var samples = new List<double>();
    for (var i = 0; i < options.Warmup + options.Iterations; i++)
    {
        using var scope = torch.NewDisposeScope();
        var clock = Stopwatch.StartNew();
        step();
        if (i >= options.Warmup) samples.Add(clock.Elapsed.TotalMilliseconds);
    }
    return samples;
}

static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

internal sealed record Options(string Mode, string[] Archs, int Batch, int Size, int Threads, int Warmup, int Iterations, string WeightsDir,
    bool ForwardOnly)
{
    public bool ChannelsLast { get; init; }
    public string Precision { get; init; } = Runner.Core.Config.Precisions.Fp32;
    public string Device { get; init; } = "cpu";
    public bool Detail { get; init; }

    public static Options Parse(string[] args)
    {
        if (args.Length < 2 || args[0] is not ("models" or "train" or "throughput"))
            throw new ArgumentException("usage: Runner.Bench models|train|throughput ARCH[,ARCH…] [--batch N] [--size N] [--threads N] " +
                "[--warmup N] [--iterations N] [--weights DIR] " +
                "[--channels-last] [--precision P] [--device cpu|cuda] [--detail]");
        string Get(string flag, string fallback) => Array.IndexOf(args, flag) is var i and >= 0 ? args[i + 1] : fallback;
        int Int(string flag, string fallback) => int.Parse(Get(flag, fallback), CultureInfo.InvariantCulture);
        return new Options(args[0], args[1].Split(','), Int("--batch", "8"), Int("--size", "128"), Int("--threads", "2"),
            Int("--warmup", "3"), Int("--iterations", "10"), Get("--weights", "."), args.Contains("--forward-only"))
        {
            ChannelsLast = args.Contains("--channels-last"), Precision = Get("--precision", Runner.Core.Config.Precisions.Fp32),
            Device = Get("--device", "cpu"), Detail = args.Contains("--detail"),
        };
    }
}
