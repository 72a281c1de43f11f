namespace Runner.Core.Results;

public sealed record TimingSummary(IReadOnlyDictionary<string, LatencyStats> LatencyMs, IReadOnlyDictionary<string, double> ImagesPerSecond);
