namespace Runner.Core.Results;

public sealed record LatencyStats(double Median, double P95, double Iqr, int N, double Cold);
