namespace Runner.Core.Results;

internal sealed record TimingSummary(IReadOnlyDictionary<string, LatencyStats> LatencyMs, IReadOnlyDictionary<string, double> ImagesPerSecond);
