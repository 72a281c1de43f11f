namespace Runner.Core.Results;

internal sealed record EnsembleMetrics(SplitMetrics Test)
{
    public SplitMetrics? Validation { get; init; }
}
