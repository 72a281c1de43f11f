namespace Runner.Core.Results;

public sealed record EnsembleMetrics(SplitMetrics Test)
{
    public SplitMetrics? Validation { get; init; }
}
