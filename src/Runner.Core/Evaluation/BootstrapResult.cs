namespace Runner.Core.Evaluation;

/// <summary>
/// One paired bootstrap: <see cref="Difference"/> is this model's test log loss minus the reference's (positive: worse
/// than the reference), <see cref="Ci95"/> its 95 % percentile interval, <see cref="Significant"/> when that excludes 0.
/// </summary>
internal sealed record BootstrapResult(double Difference, IReadOnlyList<double> Ci95, bool Significant, int Resamples, int Seed)
{
    /// <summary>The model the difference is taken against (the lowest test log loss of all backbones and ensembles).</summary>
    public string? Against { get; init; }
}
