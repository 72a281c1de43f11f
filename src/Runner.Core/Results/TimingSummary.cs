namespace Runner.Core.Results;

internal sealed record TimingSummary(IReadOnlyDictionary<string, LatencyStats> LatencyMs, IReadOnlyDictionary<string, double> ImagesPerSecond)
{
    /// <summary><c>timing.throughput</c>'s inference and training samples/s; null when not asked for.</summary>
    public ThroughputResult? Throughput { get; init; }
    /// <summary>The GPU it was timed on and the most memory the process held there (nvidia-smi); null on the CPU.</summary>
    public GpuInfo? Gpu { get; init; }
    public double? PeakGpuMemoryMb { get; init; }
    /// <summary><see cref="Machines.Machine.Id"/> of the machine that timed.</summary>
    public string? Machine { get; init; }
    /// <summary>The variant whose time task measured these figures (a repeat group's first seed); null when this backbone itself was timed.</summary>
    public string? TimedBy { get; init; }
}
