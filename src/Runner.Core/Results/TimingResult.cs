namespace Runner.Core.Results;

/// <summary><c>timing.json</c> of a time task; latency keyed by batch size, measured on <paramref name="Machine"/>.</summary>
public sealed record TimingResult(
    IReadOnlyDictionary<string, LatencyStats> LatencyMs,
    IReadOnlyDictionary<string, double> ImagesPerSecond,
    Machines.Machine Machine)
{
    public const string FileName = "timing.json";
}
