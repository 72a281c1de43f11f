using Runner.Core.Reporting.Columns;
using Runner.Core.Reporting.Plots;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>
/// What templates see (snake_case; every field is listed in reports/templates/README.md): <c>results</c>
/// (results.json as is), <c>rows</c> (one per backbone), <c>timed_rows</c> (one per time task), <c>ensembles</c>,
/// <c>best</c> (the name that wins each column), <c>verdict</c>, <c>machines</c>, <c>plots</c>, and <c>diff</c> against
/// the previous results.json.
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
    /// <summary>Some backbone trained in a precision other than fp32 or channels_last: the training table says how each did.</summary>
    public bool ShowCompute => ReportColumns.Compute.Shown(Rows);
    /// <summary>Some time task measured throughput (<c>timing.throughput</c>): the report has its table.</summary>
    public bool ShowThroughput => ReportColumns.InferenceSamplesPerSecond.Shown(Rows);

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
        var configurations = Configuration.Of(results);
        var front = ParetoFront.Of(configurations);
        var configurationOf = configurations.SelectMany(c => c.Variants.Select(v => (Variant: v, c.Name))).ToDictionary(p => p.Variant, p => p.Name);
        var groups = (results.RepeatGroups ?? []).ToDictionary(g => g.Name);
        var rows = results.Backbones.Select(b => new ReportRow(b)
        {
            OnFront = front.Contains(configurationOf.GetValueOrDefault(b.Name, b.Name)), EpochPlot = plots.Epochs.GetValueOrDefault(b.Name),
            Machines = results.Machines,
        }).ToList();
        var timed = rows.Where(r => r.Backbone.Timing.TimedBy is null)
            .Select(r => configurationOf.GetValueOrDefault(r.Name) is { } c && groups.TryGetValue(c, out var g) ? r with { Group = g } : r).ToList();
        var ensembles = results.Ensembles.Select(e => EnsembleRow.From(e, front.Contains(e.Name))).ToList();
        var candidates = rows.Select(r => (r.Name, ReportColumns.TestLogLoss.Number(r), ReportColumns.AccuracyPerMs.Number(r)))
            .Concat(ensembles.Select(e => (e.Name, e.TestLogLoss, e.AccuracyPerMs))).ToList();
        var best = new BestOf(
            EpochSeconds: BestName(ReportColumns.EpochSeconds, rows),
            LatencyMs: BestName(ReportColumns.LatencyMs, timed),
            TestLogLoss: BestName(ReportColumns.TestLogLoss, rows),
            TestAccuracy: BestName(ReportColumns.TestAccuracy, rows),
            ImagesPerSecond: BestName(ReportColumns.ImagesPerSecond, rows),
            InferenceImagesPerSecond: BestName(ReportColumns.InferenceImagesPerSecond, timed),
            EnsembleTestLogLoss: ArgMin(ensembles, e => e.TestLogLoss, e => e.Name),
            EnsembleTestAccuracy: ArgMin(ensembles, e => -e.TestAccuracy, e => e.Name),
            EnsembleLatencyMs: ArgMin(ensembles, e => e.LatencyMsSum ?? double.NaN, e => e.Name),
            OverallTestLogLoss: ArgMin(candidates, c => c.Item2, c => c.Name),
            AccuracyPerMs: ArgMin(candidates, c => -c.Item3, c => c.Name));
        return new ReportModel(results, rows, ensembles, best, Headline.Of(results, configurations)) { Plots = plots, TimedRows = timed };
    }

    /// <summary>
    /// One row per time task: a backbone that was timed, named by its configuration when it times a repeat group (its
    /// seeds share the timing), so no timing shows twice. The inference table lists these.
    /// </summary>
    public IReadOnlyList<ReportRow> TimedRows { get; init; } = [];

    /// <summary>A table of <paramref name="rows"/> by the named columns (the templates' <c>table</c> function).</summary>
    public ColumnTable Table(IReadOnlyList<ReportRow> rows, IEnumerable<string> columns) => ColumnTable.Of(rows, columns, Best.OverallTestLogLoss);

    /// <summary>Repeat groups, when some backbone was trained with several seeds (results.json's <c>repeat_groups</c>).</summary>
    public IReadOnlyList<RepeatGroupResult> RepeatGroups => Results.RepeatGroups ?? [];

    private static string ArgMin<T>(IEnumerable<T> items, Func<T, double> value, Func<T, string> name) =>
        items.Where(i => double.IsFinite(value(i))).OrderBy(value).Select(name).FirstOrDefault() ?? "";

    /// <summary>The row with the best figure of <paramref name="column"/>; "" when none has one, or when several machines measured them.</summary>
    private static string BestName(Column column, IReadOnlyList<ReportRow> rows) =>
        ColumnTable.Best(column, rows) is { Count: 1 } one ? one.Single().Name : "";
}
