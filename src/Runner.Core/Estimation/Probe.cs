namespace Runner.Core.Estimation;

/// <summary>
/// One throughput probe: a few timed steps of one architecture at one image size and batch size on this machine, after
/// warm-up. <see cref="TrainSecondsPerImage"/>: forward, backward and optimizer step with every parameter training;
/// <see cref="ForwardSecondsPerImage"/>: an inference-mode forward pass (what validation, eval and a head-only phase
/// mostly cost); <see cref="PeakMemoryMb"/>: the peak resident set (CPU) or GPU memory (CUDA) of a process that ran only
/// this probe — what the task needs, runtime included.
/// </summary>
public sealed record Probe(double TrainSecondsPerImage, double ForwardSecondsPerImage, double PeakMemoryMb, double GMacs, int Steps, DateTime Measured)
{
    /// <summary><see cref="Machines.Machine.Id"/> of the machine the probe ran on; null in probes stored before it was recorded.</summary>
    public string? Machine { get; init; }

    public static string KeyOf(string arch, int imageSize, int batchSize) => $"{arch}@{imageSize}px/b{batchSize}";
}
