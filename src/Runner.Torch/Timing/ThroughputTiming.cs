using System.Diagnostics;
using Runner.Core.Config;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Compute;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Timing;

/// <summary>
/// <c>timing.throughput</c>: samples per second at a large batch, for inference and for training, measured as timm's
/// benchmark.py does. Inputs (and labels) are made on the device once; each step is ended by a device synchronise; the
/// rate is over the whole timed run, beside the per-step median. Running out of CUDA memory steps the batch down
/// (<see cref="BatchBackoff"/>) and the batch that ran is recorded. Training steps are <see cref="TrainStep"/>'s (with the
/// mode's autocast and loss scaling) with SGD over every parameter; they change the model, so they come last.
/// </summary>
internal sealed class ThroughputTiming(ComputeMode mode, ThroughputSpec spec, int imageSize, Action synchronize, Action<string> progress,
    Action<int, int>? onBackoff = null, CancellationToken cancel = default)
{
    private bool Cuda => mode.Device.type == DeviceType.CUDA;

    /// <summary>Steps <see cref="Measure"/> takes in all (for progress), when no batch size has to be retried.</summary>
    public int Steps => 2 * (spec.Warmup + spec.Iterations);

    public ThroughputResult Measure(nn.Module<Tensor, Tensor> model, Head head) =>
        new(Run(b => Inference(model, b)), Run(b => Train(model, head, b)));

    private ThroughputStats Run(Func<int, ThroughputStats> measure) => BatchBackoff.Run(spec.BatchSize, Cuda, measure, onBackoff);

    private ThroughputStats Inference(nn.Module<Tensor, Tensor> model, int batchSize)
    {
        model.eval();
        using var _ = torch.inference_mode();
        using var input = Input(batchSize);
        return Timed(batchSize, "inference", _ =>
        {
            using (mode.Autocast()) model.forward(input);
        });
    }

    private ThroughputStats Train(nn.Module<Tensor, Tensor> model, Head head, int batchSize)
    {
        model.train();
        using var input = Input(batchSize);
        using var labels = torch.randint(0, head.Classes, batchSize, dtype: ScalarType.Int64, device: mode.Device);
        using var optimizer = optim.SGD(model.parameters(), 1e-4, momentum: 0.9);
        var step = new TrainStep(mode, mode.Scaler());
        var phases = new Dictionary<TrainStep.Phase, List<double>>();
        var result = Timed(batchSize, "training", timed =>
        {
            var clock = Stopwatch.StartNew();
            step.Run(model, head, input, labels, optimizer, spec.Detail ? Lap : null);

            void Lap(TrainStep.Phase phase)
            {
                synchronize();
                if (timed) (phases.TryGetValue(phase, out var laps) ? laps : phases[phase] = []).Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
            }
        });
        double? Median(TrainStep.Phase phase) => phases.TryGetValue(phase, out var laps) ? Statistics.Median(laps) : null;
        return result with
        {
            ForwardMs = Median(TrainStep.Phase.Forward), BackwardMs = Median(TrainStep.Phase.Backward),
            OptimizerMs = Median(TrainStep.Phase.Optimizer),
        };
    }

    /// <summary>Random images made on the device, in the mode's type and layout (timm's benchmark feeds random input too).</summary>
    private Tensor Input(int batchSize)
    {
        using var scope = torch.NewDisposeScope();
        return mode.Input(torch.rand(batchSize, 3, imageSize, imageSize, device: mode.Device)).DetachFromDisposeScope();
    }

    /// <summary>Warm-up steps, then timed ones (the argument says which), each in its own dispose scope and ended by a synchronise.</summary>
    private ThroughputStats Timed(int batchSize, string what, Action<bool> step)
    {
        for (var i = 0; i < spec.Warmup; i++) Step(false, i);
        synchronize();
        var samples = new List<double>(spec.Iterations);
        var run = Stopwatch.StartNew();
        for (var i = 0; i < spec.Iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            Step(true, spec.Warmup + i);
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        var seconds = run.Elapsed.TotalSeconds;
        return new ThroughputStats(spec.BatchSize, batchSize, batchSize * spec.Iterations / seconds, Statistics.Median(samples),
            Statistics.InterquartileRange(samples), spec.Iterations, spec.Warmup);

        void Step(bool timed, int i)
        {
            cancel.ThrowIfCancellationRequested();
            using (torch.NewDisposeScope())
            {
                step(timed);
                synchronize();
            }
            progress($"{what} throughput, batch {batchSize}, step {i + 1}/{spec.Warmup + spec.Iterations}");
        }
    }
}
