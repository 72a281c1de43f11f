namespace Runner.Core.Results;

/// <summary>
/// One ensemble group in <c>results.json</c>. Stackers fit on the validation split, so <see cref="EnsembleMetrics.Test"/>
/// is the honest figure; <see cref="EnsembleMetrics.Validation"/> is what the fit saw.
/// </summary>
/// <param name="LatencyMsSum">Sum of the members' batch-1 latency medians (the ensemble's inference cost); null when a member has no batch-1 timing.</param>
internal sealed record EnsembleResult(string Name, string Method, IReadOnlyList<string> Members, EnsembleMetrics Metrics, double? LatencyMsSum)
{
    /// <summary>What the ensemble combines: <c>logits</c>, <c>probabilities</c> or <c>features</c>.</summary>
    public string? Inputs { get; init; }
    /// <summary>Hidden layer sizes of a <c>stacking</c> MLP.</summary>
    public IReadOnlyList<int>? Hidden { get; init; }
    /// <summary>Member weights of a <c>weighted</c> ensemble, keyed by member name.</summary>
    public IReadOnlyDictionary<string, double>? Weights { get; init; }
    /// <summary>Member with the lowest test log loss.</summary>
    public string? BestMember { get; init; }
    /// <summary>Best member's test log loss minus the ensemble's: positive means the ensemble is better.</summary>
    public double? GainOverBestMember { get; init; }
    /// <summary>Paired bootstrap of the test log loss against the best backbone or ensemble; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }
}
