namespace Runner.Core.Results;

internal sealed record TimingSummary(IReadOnlyDictionary<string, LatencyStats> LatencyMs, IReadOnlyDictionary<string, double> ImagesPerSecond)
{
    /// <summary><see cref="Machines.Machine.Id"/> of the machine that timed.</summary>
    public string? Machine { get; init; }
    /// <summary>The variant whose time task measured these figures (a repeat group's first seed); null when this backbone itself was timed.</summary>
    public string? TimedBy { get; init; }
}
