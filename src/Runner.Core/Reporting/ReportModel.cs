using System.Globalization;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// What templates see (snake_case): <c>results</c> (results.json as is), <c>rows</c> (one per backbone with the
/// figures the tables show) and <c>best</c> (the backbone name that wins each column).
/// </summary>
public sealed record ReportModel(ExperimentResults Results, IReadOnlyList<ReportRow> Rows, BestOf Best, string Verdict)
{
    /// <summary>Some backbone kept an epoch other than its last (early stopping): the training table shows the best epoch.</summary>
    public bool ShowBestEpoch => Rows.Any(r => r.StoppedEarly || (r.BestEpoch is { } e && e != r.Epochs));


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
    /// <summary>The batch size, or "configured→effective" when CUDA out-of-memory retries halved it.</summary>
    public string BatchLabel => EffectiveBatchSize is { } e && e != BatchSize ? $"{BatchSize}→{e}" : BatchSize.ToString(CultureInfo.InvariantCulture);
    public int? EffectiveBatchSize { get; init; }
    /// <summary>Share of training time spent waiting for batches (data wait seconds / epoch seconds, all epochs).</summary>
    public double DataWaitShare { get; init; } = double.NaN;
    /// <summary>1-based epoch whose weights were kept; null in older results.</summary>
    public int? BestEpoch { get; init; }
    public bool StoppedEarly { get; init; }
    /// <summary>Parameter elements that trained (all of them when results.json does not say).</summary>
    public long TrainableParams { get; init; }
    public double? TestEce { get; init; }
    /// <summary>Test-split classes in dataset order, for the per-backbone details (empty in older results).</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
    /// <summary>Test confusion matrix and per-class precision/recall, one line per true class (empty in older results).</summary>
    public IReadOnlyList<ClassLine> ClassLines { get; init; } = [];


    public static ReportRow From(BackboneResult b)
    {
        var latency = b.Timing.LatencyMs.TryGetValue("1", out var l) ? l : b.Timing.LatencyMs.Values.FirstOrDefault();
        return new ReportRow(
            b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, b.Params, b.Gmacs, b.Train.Epochs,
            Statistics.Median(b.Train.EpochSeconds), b.Train.ImagesPerSecond,
            latency?.Median ?? double.NaN, latency?.Iqr ?? double.NaN, latency?.P95 ?? double.NaN, latency?.N ?? 0, latency?.Cold ?? double.NaN,
            b.Metrics.Test.LogLoss, b.Metrics.Test.Accuracy, b.Metrics.Test.Auc, b.Metrics.Test.N, b.Metrics.Validation.LogLoss)
        {
            EffectiveBatchSize = b.Train.EffectiveBatchSize,
            DataWaitShare = b.Train.EpochSeconds.Sum() is var total and > 0 ? b.Train.DataWaitSeconds.Sum() / total : double.NaN,
            BestEpoch = b.Train.BestEpoch,
            StoppedEarly = b.Train.StoppedEarly,
            TrainableParams = b.Train.TrainableParams ?? b.Params,
            TestEce = b.Metrics.Test.Ece,
            Classes = b.Metrics.Test.PerClass?.Select(c => c.Class).ToList() ?? [],
            ClassLines = ClassLine.From(b.Metrics.Test),
        };
    }
}

/// <summary>One true class of a backbone's test split: its confusion-matrix row (counts per predicted class) and precision, recall, support.</summary>
public sealed record ClassLine(string Name, IReadOnlyList<int> Counts, double? Precision, double? Recall, int Support)
{
    public static IReadOnlyList<ClassLine> From(SplitMetrics test)
    {
        if (test.PerClass is not { } perClass || test.Confusion is not { } confusion || confusion.Count != perClass.Count) return [];
        return perClass.Select((c, i) => new ClassLine(c.Class, confusion[i], c.Precision, c.Recall, c.Support)).ToList();
    }
}
