using System.Globalization;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>One ensemble group as the ensembles table shows it.</summary>
internal sealed record EnsembleRow(
    string Name, string Method, IReadOnlyList<string> Members, double TestLogLoss, double TestAccuracy, int TestN,
    double? ValidationLogLoss, string? BestMember, double? GainOverBestMember, double? LatencyMsSum, bool OnFront)
{
    /// <summary>Members joined with ", ".</summary>
    public string MembersLabel => string.Join(", ", Members);
    /// <summary>Test accuracy divided by the inference cost (ms); NaN without a latency sum.</summary>
    public double AccuracyPerMs => LatencyMsSum is > 0 and var ms ? TestAccuracy / ms : double.NaN;
    /// <summary>How the method was set up: "hidden 32-8 over logits", "over probabilities; weights a 0.70, b 0.30", or "".</summary>
    public string Setup { get; init; } = "";
    /// <summary>Paired bootstrap against the best test log loss; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }
    public string VersusBest => BootstrapLabel.Of(Bootstrap);

    public static EnsembleRow From(EnsembleResult e, bool onFront) => new(
        e.Name, e.Method, e.Members, e.Metrics.Test.LogLoss, e.Metrics.Test.Accuracy, e.Metrics.Test.N,
        e.Metrics.Validation?.LogLoss, e.BestMember, e.GainOverBestMember, e.LatencyMsSum, onFront)
    {
        Setup = SetupOf(e),
        Bootstrap = e.Bootstrap,
    };

    private static string SetupOf(EnsembleResult e)
    {
        var parts = new List<string>();
        if (e.Hidden is { Count: > 0 } hidden) parts.Add("hidden " + string.Join("-", hidden));
        if (e.Inputs is { } inputs) parts.Add("over " + inputs);
        var setup = string.Join(" ", parts);
        if (e.Weights is not { Count: > 0 } weights) return setup;
        var weighted = "weights " + string.Join(", ", weights.Select(w => $"{w.Key} {w.Value.ToString("0.00", CultureInfo.InvariantCulture)}"));
        return setup.Length == 0 ? weighted : $"{setup}; {weighted}";
    }
}
