namespace Runner.Core.Estimation;

/// <summary>One task's predicted seconds and peak memory; null where there is no model for its kind (data, report, ensembles).</summary>
public sealed record TaskEstimate(string Id, string Kind, bool Cached, double? Seconds, double? PeakMemoryMb)
{
    /// <summary>The machine whose probe the estimate comes from (<see cref="Probe.Machine"/>); null without a probe.</summary>
    public string? Machine { get; init; }
}
