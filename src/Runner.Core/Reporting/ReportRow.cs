using System.Globalization;
using Runner.Core.Reporting.Plots;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>
/// One backbone as the report's tables see it: its results.json entry and what the report adds (front, plot). Its figures
/// are the <see cref="Columns.ReportColumns"/>; templates get each column's value as a field of the row beside these.
/// </summary>
internal sealed record ReportRow(BackboneResult Backbone)
{
    /// <summary>The backbone's name, or its repeat group's when the row stands for the group (<see cref="Group"/>).</summary>
    public string Name => Group?.Name ?? Backbone.Name;
    /// <summary>Set on the inference table's row of a repeat group: its seeds share this backbone's timing, and quality is their mean.</summary>
    public RepeatGroupResult? Group { get; init; }
    /// <summary>On the latency-vs-test-log-loss Pareto front of all backbones and ensembles.</summary>
    public bool OnFront { get; init; }
    /// <summary>Every machine of the report (results.json's <c>machines</c>), for labelling the row's (<see cref="MachineLine.LabelOf"/>).</summary>
    public IReadOnlyList<Machines.Machine> Machines { get; init; } = [];
    /// <summary>This backbone's loss-per-epoch plot; null when plots were not rendered.</summary>
    public PlotFile? EpochPlot { get; init; }
    /// <summary>Test-split classes in dataset order, for the per-backbone details (empty in older results).</summary>
    public IReadOnlyList<string> Classes => Backbone.Metrics.Test.PerClass?.Select(c => c.Class).ToList() ?? [];
    /// <summary>Test confusion matrix and per-class precision/recall, one line per true class (empty in older results).</summary>
    public IReadOnlyList<ClassLine> ClassLines => ClassLine.From(Backbone.Metrics.Test);
    /// <summary>Per-epoch training figures.</summary>
    public IReadOnlyList<EpochLine> EpochLines => EpochLine.From(Backbone.Train);
    /// <summary>One record per training phase (<c>phases:</c>); empty without them.</summary>
    public IReadOnlyList<PhaseRecord> Phases => Backbone.Train.Phases ?? [];
    /// <summary>Paired bootstrap against the best test log loss; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap => Backbone.Bootstrap;

    /// <summary>Batch-1 latency (else the first timed batch size); null when not timed.</summary>
    public LatencyStats? Batch1 => Batch1Of(Backbone);

    /// <summary>The largest timed batch size (as text) and its inference images per second; else batch 1 from its median.</summary>
    public (string Batch, double ImagesPerSecond) Inference
    {
        get
        {
            var largest = Backbone.Timing.ImagesPerSecond
                .Select(kv => (Batch: int.TryParse(kv.Key, CultureInfo.InvariantCulture, out var n) ? n : 0, kv.Key, kv.Value))
                .OrderByDescending(t => t.Batch).FirstOrDefault();
            if (largest.Key is not null) return (largest.Key, largest.Value);
            return ("1", Batch1 is { Median: > 0 } l ? 1000 / l.Median : double.NaN);
        }
    }

    public static LatencyStats? Batch1Of(BackboneResult b) =>
        b.Timing.LatencyMs.TryGetValue("1", out var l) ? l : b.Timing.LatencyMs.Values.FirstOrDefault();
}
