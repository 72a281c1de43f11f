namespace Runner.Core.Reporting;

/// <summary>A backbone or an ensemble as the latency-vs-log-loss trade-off sees it.</summary>
internal sealed record TradeOffPoint(string Name, bool IsEnsemble, double LatencyMs, double TestLogLoss);
