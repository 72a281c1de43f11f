using System.Globalization;
using Runner.Core.Reporting.Columns;
using Runner.Core.Reporting.Plots;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>
/// What templates see (snake_case; every field is listed in reports/templates/README.md): <c>results</c>
/// (results.json as is), <c>rows</c> (one per backbone), <c>ensembles</c>, <c>best</c> (the name that wins each
/// column), <c>verdict</c>, <c>plots</c>, and <c>diff</c> against the previous results.json.
/// </summary>
internal sealed record ReportModel(
    ExperimentResults Results, IReadOnlyList<ReportRow> Rows, IReadOnlyList<EnsembleRow> Ensembles, BestOf Best, string Verdict)
{
    /// <summary>Some backbone kept an epoch other than its last (early stopping): the training table shows the best epoch.</summary>
    public bool ShowBestEpoch => ReportColumns.BestEpoch.Shown(Rows);
    /// <summary>Some backbone's batch size was halved after CUDA ran out of memory.</summary>
    public bool ShowBatchHalving => Rows.Any(r => r.Backbone.Train.EffectiveBatchSize is { } e && e != r.Backbone.BatchSize);
    /// <summary>Some backbone trained on a GPU whose memory use was measured.</summary>
    public bool ShowGpuMemory => ReportColumns.PeakGpuMemoryMb.Shown(Rows);
    /// <summary>Some backbone trained in phases: the report lists them.</summary>
    public bool ShowPhases => Rows.Any(r => r.Phases.Count > 0);
    /// <summary>Some train task had an estimate and an actual time: the report compares them.</summary>
    public bool ShowEstimates => Rows.Any(r => !Column.IsMissing(ReportColumns.EstimateRatio.Value(r)));

    /// <summary>The machines the figures came from (<c>M1</c>, <c>M2</c>…); empty for results written before machines were recorded.</summary>
    public IReadOnlyList<MachineLine> Machines => MachineLine.Of(Results);

    public ReportPlots Plots { get; init; } = ReportPlots.None;

    /// <summary>This run against the previous results.json in the report folder; null when there was none.</summary>
    public ResultsDiff? Diff { get; init; }

    /// <summary>Why there is no diff (no previous results.json, or it could not be read); null when <see cref="Diff"/> is set.</summary>
    public string? DiffNote { get; init; }

    public static ReportModel From(ExperimentResults results, ReportPlots? plots = null)
    {
        plots ??= ReportPlots.None;
        var front = ParetoFront.Of(TradeOffPoints(results));
        var rows = results.Backbones
            .Select(b => new ReportRow(b)
            {
                OnFront = front.Contains(b.Name), EpochPlot = plots.Epochs.GetValueOrDefault(b.Name), Machines = results.Machines,
            }).ToList();
        var ensembles = results.Ensembles.Select(e => EnsembleRow.From(e, front.Contains(e.Name))).ToList();
        var candidates = rows
            .Select(r => new Candidate(r.Name, false, ReportColumns.TestLogLoss.Number(r), ReportColumns.AccuracyPerMs.Number(r), r.Bootstrap))
            .Concat(ensembles.Select(e => new Candidate(e.Name, true, e.TestLogLoss, e.AccuracyPerMs, e.Bootstrap))).ToList();
        var best = new BestOf(
            EpochSeconds: BestName(ReportColumns.EpochSeconds, rows),
            LatencyMs: BestName(ReportColumns.LatencyMs, rows),
            TestLogLoss: BestName(ReportColumns.TestLogLoss, rows),
            TestAccuracy: BestName(ReportColumns.TestAccuracy, rows),
            ImagesPerSecond: BestName(ReportColumns.ImagesPerSecond, rows),
            InferenceImagesPerSecond: BestName(ReportColumns.InferenceImagesPerSecond, rows),
            EnsembleTestLogLoss: ArgMin(ensembles, e => e.TestLogLoss, e => e.Name),
            EnsembleTestAccuracy: ArgMin(ensembles, e => -e.TestAccuracy, e => e.Name),
            EnsembleLatencyMs: ArgMin(ensembles, e => e.LatencyMsSum ?? double.NaN, e => e.Name),
            OverallTestLogLoss: ArgMin(candidates, c => c.TestLogLoss, c => c.Name),
            AccuracyPerMs: ArgMin(candidates, c => -c.AccuracyPerMs, c => c.Name));
        return new ReportModel(results, rows, ensembles, best, VerdictOf(rows, candidates, best, results.RepeatGroups ?? [])) { Plots = plots };
    }

    /// <summary>A table of <paramref name="rows"/> by the named columns (the templates' <c>table</c> function).</summary>
    public ColumnTable Table(IReadOnlyList<ReportRow> rows, IEnumerable<string> columns) => ColumnTable.Of(rows, columns, Best.OverallTestLogLoss);

    /// <summary>Backbones (batch-1 latency median) and ensembles (sum of their members') against test log loss.</summary>
    public static IReadOnlyList<TradeOffPoint> TradeOffPoints(ExperimentResults results) =>
        results.Backbones.Select(b => new TradeOffPoint(b.Name, false, ReportRow.Batch1Of(b)?.Median ?? double.NaN, b.Metrics.Test.LogLoss))
            .Concat(results.Ensembles.Select(e => new TradeOffPoint(e.Name, true, e.LatencyMsSum ?? double.NaN, e.Metrics.Test.LogLoss)))
            .ToList();

    /// <summary>A backbone or ensemble competing for the verdict's over-all titles.</summary>
    private sealed record Candidate(string Name, bool IsEnsemble, double TestLogLoss, double AccuracyPerMs, Evaluation.BootstrapResult? Bootstrap);

    /// <summary>Repeat groups, when some backbone was trained with several seeds (results.json's <c>repeat_groups</c>).</summary>
    public IReadOnlyList<RepeatGroupResult> RepeatGroups => Results.RepeatGroups ?? [];

    private static string VerdictOf(IReadOnlyList<ReportRow> rows, IReadOnlyList<Candidate> candidates, BestOf best, IReadOnlyList<RepeatGroupResult> groups)
    {
        if (rows.Count == 0) return "No backbones.";
        var parts = new List<string>();
        if (candidates.FirstOrDefault(c => c.Name == best.OverallTestLogLoss) is { } lowest)
            parts.Add(LowestLogLoss(lowest, candidates));
        if (RepeatVerdict(groups) is { } overSeeds) parts.Add(overSeeds);
        if (rows.FirstOrDefault(r => r.Name == best.LatencyMs) is { } fastest)
            parts.Add($"fastest inference: **{fastest.Name}** ({F(ReportColumns.LatencyMs.Number(fastest), "0.00")} ms per image)");
        if (candidates.FirstOrDefault(c => c.Name == best.AccuracyPerMs) is { } efficient)
            parts.Add($"best accuracy per ms: **{efficient.Name}** ({F(efficient.AccuracyPerMs, "0.000")})");
        if (rows.FirstOrDefault(r => r.Name == best.EpochSeconds) is { } trainer)
            parts.Add($"fastest training: **{trainer.Name}** ({F(ReportColumns.EpochSeconds.Number(trainer), "0.0")} s per epoch)");
        var text = string.Join("; ", parts);
        return text.Length == 0 ? "No complete results." : char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    /// <summary>
    /// The lowest test log loss is called best only when the paired bootstrap finds it significantly lower than every
    /// other model; otherwise the verdict names the models it cannot be told apart from.
    /// </summary>
    private static string LowestLogLoss(Candidate lowest, IReadOnlyList<Candidate> candidates)
    {
        var figure = $"{F(lowest.TestLogLoss, "0.0000")}{(lowest.IsEnsemble ? ", ensemble" : "")}";
        var others = candidates.Where(c => c.Name != lowest.Name).ToList();
        if (others.Count == 0 || others.Any(c => c.Bootstrap is null)) return $"lowest test log loss: **{lowest.Name}** ({figure})";
        var ties = others.Where(c => !c.Bootstrap!.Significant).Select(c => c.Name).ToList();
        return ties.Count == 0
            ? $"best test log loss: **{lowest.Name}** ({figure}; lower than every other at 95 %, paired bootstrap)"
            : $"lowest test log loss: {lowest.Name} ({figure}), not significantly lower than {string.Join(", ", ties)} (paired bootstrap, 95 %)";
    }

    /// <summary>Over seeds: the group with the lowest mean test log loss is better only when its t-interval lies below every other group's.</summary>
    private static string? RepeatVerdict(IReadOnlyList<RepeatGroupResult> groups)
    {
        if (groups.Count == 0) return null;
        var lowest = groups.MinBy(g => g.Repeats.Test.LogLoss.Mean)!;
        var interval = lowest.Repeats.Test.LogLoss;
        var figure = $"{F(interval.Mean, "0.0000")} ± {F(interval.HalfWidth, "0.0000")}, 95 % t-interval over {lowest.Repeats.N} seeds";
        var overlapping = groups.Where(g => g != lowest && !interval.Below(g.Repeats.Test.LogLoss)).Select(g => g.Name).ToList();
        if (groups.Count == 1) return $"over seeds, {lowest.Name} has test log loss {figure}";
        return overlapping.Count == 0
            ? $"over seeds, **{lowest.Name}** is best ({figure}; its interval lies below every other group's)"
            : $"over seeds, {lowest.Name} has the lowest mean test log loss ({figure}), but its interval overlaps those of {string.Join(", ", overlapping)}, so no group is better";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string ArgMin<T>(IEnumerable<T> items, Func<T, double> value, Func<T, string> name) =>
        items.Where(i => double.IsFinite(value(i))).OrderBy(value).Select(name).FirstOrDefault() ?? "";

    /// <summary>The row with the best figure of <paramref name="column"/>; "" when none has one, or when several machines measured them.</summary>
    private static string BestName(Column column, IReadOnlyList<ReportRow> rows) =>
        ColumnTable.Best(column, rows) is { Count: 1 } one ? one.Single().Name : "";
}
