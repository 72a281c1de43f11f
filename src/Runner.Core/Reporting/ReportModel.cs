using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// What templates see (snake_case): <c>results</c> (results.json as is), <c>rows</c> (one per backbone with the
/// figures the tables show) and <c>best</c> (the backbone name that wins each column).
/// </summary>
public sealed record ReportModel(ExperimentResults Results, IReadOnlyList<ReportRow> Rows, BestOf Best, string Verdict)
{
    public static ReportModel From(ExperimentResults results)
    {
        var rows = results.Backbones.Select(ReportRow.From).ToList();
        var best = new BestOf(
            EpochSeconds: ArgMin(rows, r => r.EpochSeconds),
            LatencyMs: ArgMin(rows, r => r.LatencyMs),
            TestLogLoss: ArgMin(rows, r => r.TestLogLoss),
            TestAccuracy: ArgMin(rows, r => -r.TestAccuracy));
        var verdict = rows.Count == 0
            ? "No backbones."
            : $"Best test log loss: **{best.TestLogLoss}** ({rows.First(r => r.Name == best.TestLogLoss).TestLogLoss:0.0000}); " +
              $"fastest inference: **{best.LatencyMs}** ({rows.First(r => r.Name == best.LatencyMs).LatencyMs:0.00} ms per image); " +
              $"fastest training: **{best.EpochSeconds}** ({rows.First(r => r.Name == best.EpochSeconds).EpochSeconds:0.0} s per epoch).";
        return new ReportModel(results, rows, best, verdict);
    }

    private static string ArgMin(IEnumerable<ReportRow> rows, Func<ReportRow, double> value) =>
        rows.Where(r => !double.IsNaN(value(r))).OrderBy(value).Select(r => r.Name).FirstOrDefault() ?? "";
}

public sealed record BestOf(string EpochSeconds, string LatencyMs, string TestLogLoss, string TestAccuracy);

/// <summary>One backbone's headline figures: medians for times, test split for quality.</summary>
public sealed record ReportRow(
    string Name, string Arch, string Weights, int ImageSize, int BatchSize, long Params, double Gmacs, int Epochs,
    double EpochSeconds, double ImagesPerSecond,
    double LatencyMs, double LatencyIqrMs, double LatencyP95Ms, int LatencyN, double ColdMs,
    double TestLogLoss, double TestAccuracy, double? TestAuc, int TestN, double ValidationLogLoss)
{
    public static ReportRow From(BackboneResult b)
    {
        var latency = b.Timing.LatencyMs.TryGetValue("1", out var l) ? l : b.Timing.LatencyMs.Values.FirstOrDefault();
        return new ReportRow(
            b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, b.Params, b.Gmacs, b.Train.Epochs,
            Statistics.Median(b.Train.EpochSeconds), b.Train.ImagesPerSecond,
            latency?.Median ?? double.NaN, latency?.Iqr ?? double.NaN, latency?.P95 ?? double.NaN, latency?.N ?? 0, latency?.Cold ?? double.NaN,
            b.Metrics.Test.LogLoss, b.Metrics.Test.Accuracy, b.Metrics.Test.Auc, b.Metrics.Test.N, b.Metrics.Validation.LogLoss);
    }
}
