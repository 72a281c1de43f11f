namespace Runner.Core.Results;

/// <summary>Per-split predicted class probabilities, rows aligned with <see cref="Ids"/>.</summary>
public sealed record SplitPredictions(IReadOnlyList<string> Ids, IReadOnlyList<int> Labels, IReadOnlyList<double[]> Probabilities);
