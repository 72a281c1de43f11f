namespace Runner.Core.Results;

internal sealed record TrainSummary(
    int Epochs, IReadOnlyList<double> EpochSeconds, IReadOnlyList<double> DataWaitSeconds, double ImagesPerSecond,
    IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValLogLoss)
{
    /// <summary>1-based epoch the checkpoint holds; null when train.json predates it.</summary>
    public int? BestEpoch { get; init; }
    public bool StoppedEarly { get; init; }
    public long? TrainableParams { get; init; }
    /// <summary>Resident set size (MB) at the end of each epoch.</summary>
    public IReadOnlyList<double>? RssMb { get; init; }
    /// <summary>Batch size after CUDA out-of-memory halving (equals the configured one when none happened).</summary>
    public int? EffectiveBatchSize { get; init; }
    /// <summary>Most GPU memory (MB) the process held at an epoch's end; null on the CPU.</summary>
    public double? PeakGpuMemoryMb { get; init; }
    /// <summary>One record per phase of a backbone with <c>phases:</c>; null without them.</summary>
    public IReadOnlyList<PhaseRecord>? Phases { get; init; }
    /// <summary>The train task's estimate (<c>plan --estimate</c>) and its actual wall-clock seconds; null when unknown.</summary>
    public double? EstimatedSeconds { get; init; }
    public double? TaskSeconds { get; init; }
    /// <summary>amp_fp16 only: optimizer steps skipped by loss scaling.</summary>
    public int? SkippedSteps { get; init; }
    /// <summary>The GPU it trained on; null on the CPU.</summary>
    public GpuInfo? Gpu { get; init; }
    /// <summary><see cref="Machines.Machine.Id"/> of the machine that trained; null when train.json predates it.</summary>
    public string? Machine { get; init; }
}
