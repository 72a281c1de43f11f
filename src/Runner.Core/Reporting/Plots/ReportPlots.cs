using Runner.Core.Results;

namespace Runner.Core.Reporting.Plots;

/// <summary>The plots a report embeds, by relative file name; null where there was nothing to draw.</summary>
internal sealed record ReportPlots(
    PlotFile? LatencyVsLogLoss, PlotFile? LossPerEpoch, PlotFile? Throughput, IReadOnlyDictionary<string, PlotFile> Epochs)
{
    public static readonly ReportPlots None = new(null, null, null, new Dictionary<string, PlotFile>());

    /// <summary>Draws every plot of <paramref name="results"/> into <paramref name="folder"/> (PNG and SVG each).</summary>
    public static ReportPlots Render(ExperimentResults results, string folder)
    {
        var configurations = Configuration.Of(results);
        var curves = results.Backbones.Select(b => new LossCurvesPlot.Curves(b.Name, b.Train.TrainLoss, b.Train.ValLogLoss)).ToList();
        var epochs = new Dictionary<string, PlotFile>();
        foreach (var c in curves)
            if (LossCurvesPlot.Render([c], folder, $"plot-epochs-{FileSafe(c.Name)}", 640, 360) is { } plot)
                epochs[c.Name] = plot;
        var throughput = results.Backbones.Select(b => new ReportRow(b))
            .Select(r => new ThroughputPlot.Throughput(r.Name, r.Backbone.Train.ImagesPerSecond, r.Inference.ImagesPerSecond, r.Inference.Batch))
            .ToList();
        return new ReportPlots(
            TradeOffPlot.Render(configurations, ParetoFront.Of(configurations), folder),
            LossCurvesPlot.Render(curves, folder),
            ThroughputPlot.Render(throughput, folder),
            epochs);
    }

    private static string FileSafe(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
