using ScottPlot;

namespace Runner.Core.Reporting.Plots;

/// <summary>
/// Inference latency (batch 1) against test log loss, one point per configuration (a repeat group at its seeds' mean, with
/// its 95 % t-interval as an error bar; backbones trained once and ensembles as they are), the Pareto front drawn (a wide
/// grey line) and labelled (★).
/// </summary>
internal static class TradeOffPlot
{
    public const string Stem = "plot-latency-vs-log-loss";

    public static PlotFile? Render(IReadOnlyList<Configuration> configurations, IReadOnlySet<string> front, string folder)
    {
        var usable = configurations.Where(c => c.LatencyMs is { IsFinite: true } && c.LogLoss.IsFinite)
            .Select(c => (c.Name, c.IsEnsemble, LatencyMs: c.LatencyMs!.Value.Value, TestLogLoss: c.LogLoss)).ToList();
        if (usable.Count == 0) return null;
        var plot = PlotFile.NewPlot();
        var frontPoints = usable.Where(p => front.Contains(p.Name)).OrderBy(p => p.LatencyMs).ToList();
        if (frontPoints.Count > 1)
        {
            var line = plot.Add.ScatterLine(frontPoints.Select(p => p.LatencyMs).ToArray(), frontPoints.Select(p => p.TestLogLoss.Value).ToArray());
            // Solid, wide and pale rather than dashed: Skia's SVG backend cannot write dash effects.
            line.LineWidth = 6;
            line.Color = Colors.Gray.WithAlpha(0.35);
            line.LegendText = "Pareto front (nothing both faster and lower log loss)";
        }
        var repeated = usable.Where(p => p.TestLogLoss.HalfWidth > 0).ToList();
        if (repeated.Count > 0)
        {
            var bars = plot.Add.ErrorBar(repeated.Select(p => p.LatencyMs).ToArray(), repeated.Select(p => p.TestLogLoss.Value).ToArray(),
                repeated.Select(p => p.TestLogLoss.HalfWidth).ToArray());
            bars.Color = PlotFile.ColorOf(0);
            bars.LegendText = "95 % t-interval over seeds";
        }
        AddMarkers(plot, usable.Where(p => !p.IsEnsemble).ToList(), MarkerShape.FilledCircle, PlotFile.ColorOf(0),
            "backbone (repeats: mean over seeds)");
        AddMarkers(plot, usable.Where(p => p.IsEnsemble).ToList(), MarkerShape.FilledDiamond, PlotFile.ColorOf(1),
            "ensemble (latency = sum of members)");
        foreach (var p in usable)
        {
            var label = plot.Add.Text(front.Contains(p.Name) ? $"{p.Name} ★" : p.Name, p.LatencyMs, p.TestLogLoss.Value);
            label.LabelFontSize = 13;
            label.LabelBold = front.Contains(p.Name);
            label.LabelAlignment = Alignment.LowerLeft;
            label.OffsetX = 6;
            label.OffsetY = -4;
        }
        plot.Title("Inference latency vs test log loss (lower left is better; ★ on the Pareto front)", 15);
        plot.XLabel("Inference latency per image, batch 1 (ms, median)");
        plot.YLabel("Test log loss");
        plot.Axes.Margins(left: 0.08, right: 0.3, bottom: 0.1, top: 0.18);
        plot.ShowLegend(Edge.Bottom);
        return PlotFile.Save(plot, folder, Stem, PlotFile.Width, PlotFile.Height + 40);
    }

    private static void AddMarkers(Plot plot, IReadOnlyList<(string Name, bool IsEnsemble, double LatencyMs, Figure TestLogLoss)> points,
        MarkerShape shape, Color color, string legend)
    {
        if (points.Count == 0) return;
        var ys = points.Select(p => p.TestLogLoss.Value).ToArray();
        var markers = plot.Add.Markers(points.Select(p => p.LatencyMs).ToArray(), ys, shape, 11, color);
        markers.LegendText = legend;
    }
}
