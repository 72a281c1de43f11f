using ScottPlot;

namespace Runner.Core.Reporting.Plots;

/// <summary>Inference latency (batch 1) against test log loss, backbones and ensembles, with the Pareto front drawn (a wide grey line) and labelled (★).</summary>
internal static class TradeOffPlot
{
    public const string Stem = "plot-latency-vs-log-loss";

    public static PlotFile? Render(IReadOnlyList<TradeOffPoint> points, IReadOnlySet<string> front, string folder)
    {
        var usable = points.Where(p => double.IsFinite(p.LatencyMs) && double.IsFinite(p.TestLogLoss)).ToList();
        if (usable.Count == 0) return null;
        var plot = PlotFile.NewPlot();
        var frontPoints = usable.Where(p => front.Contains(p.Name)).OrderBy(p => p.LatencyMs).ToList();
        if (frontPoints.Count > 1)
        {
            var line = plot.Add.ScatterLine(frontPoints.Select(p => p.LatencyMs).ToArray(), frontPoints.Select(p => p.TestLogLoss).ToArray());
            // Solid, wide and pale rather than dashed: Skia's SVG backend cannot write dash effects.
            line.LineWidth = 6;
            line.Color = Colors.Gray.WithAlpha(0.35);
            line.LegendText = "Pareto front (nothing both faster and lower log loss)";
        }
        AddMarkers(plot, usable.Where(p => !p.IsEnsemble).ToList(), MarkerShape.FilledCircle, PlotFile.ColorOf(0), "backbone");
        AddMarkers(plot, usable.Where(p => p.IsEnsemble).ToList(), MarkerShape.FilledDiamond, PlotFile.ColorOf(1), "ensemble (latency = sum of members)");
        foreach (var p in usable)
        {
            var label = plot.Add.Text(front.Contains(p.Name) ? $"{p.Name} ★" : p.Name, p.LatencyMs, p.TestLogLoss);
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

    private static void AddMarkers(Plot plot, IReadOnlyList<TradeOffPoint> points, MarkerShape shape, Color color, string legend)
    {
        if (points.Count == 0) return;
        var markers = plot.Add.Markers(points.Select(p => p.LatencyMs).ToArray(), points.Select(p => p.TestLogLoss).ToArray(), shape, 11, color);
        markers.LegendText = legend;
    }
}
