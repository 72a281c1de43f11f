namespace Runner.Core.Results;

/// <summary><c>timing.json</c> of a time task; latency keyed by batch size.</summary>
public sealed record TimingResult(
    IReadOnlyDictionary<string, LatencyStats> LatencyMs,
    IReadOnlyDictionary<string, double> ImagesPerSecond,
    EnvironmentInfo Environment)
{
    public const string FileName = "timing.json";
}
