using Runner.Core.Results;

namespace Runner.Core.Ensembles;

/// <summary><c>ensemble.json</c> of an ensemble task.</summary>
/// <param name="Weights">Member weights (weighted; the mean over folds), keyed by member.</param>
/// <param name="Stackers">Files holding the fitted stacker(s), one per fold.</param>
internal sealed record EnsembleFit(string Method, string Inputs, IReadOnlyList<string> Members, int Folds, SplitMetrics Validation, SplitMetrics Test)
{
    public const string FileName = "ensemble.json";
    public IReadOnlyDictionary<string, double>? Weights { get; init; }
    public IReadOnlyList<string>? Stackers { get; init; }
}
