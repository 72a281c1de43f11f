namespace Runner.Core.Estimation;

/// <summary>One task's predicted seconds and peak memory; null where there is no model for its kind (data, report, ensembles).</summary>
public sealed record TaskEstimate(string Id, string Kind, bool Cached, double? Seconds, double? PeakMemoryMb);
