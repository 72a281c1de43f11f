namespace Runner.Core.Results;

/// <summary><c>timing.json</c> of a time task; latency keyed by batch size, measured on <paramref name="Machine"/>.</summary>
public sealed record TimingResult(
    IReadOnlyDictionary<string, LatencyStats> LatencyMs,
    IReadOnlyDictionary<string, double> ImagesPerSecond,
    Machines.Machine Machine)
{
    /// <summary>The precision and memory format it was timed in; null in older entries (fp32, NCHW).</summary>
    public string? Precision { get; init; }
    public bool? ChannelsLast { get; init; }
    /// <summary><c>timing.throughput</c>; null when not asked for.</summary>
    public ThroughputResult? Throughput { get; init; }
    /// <summary>The GPU it ran on; null on the CPU.</summary>
    public GpuInfo? Gpu { get; init; }
    /// <summary>Most GPU memory (MB) the process held on that GPU when timing ended (nvidia-smi); null on the CPU.</summary>
    public double? PeakGpuMemoryMb { get; init; }
    public const string FileName = "timing.json";
}
