using ScottPlot;

namespace Runner.Core.Reporting.Plots;

/// <summary>
/// Training loss (thick line, filled markers) and validation log loss (thin line, open markers) per epoch, one colour
/// per backbone; no dashes, which Skia's SVG backend cannot write. The legend sits right of the plot, off the curves.
/// </summary>
internal static class LossCurvesPlot
{
    public const string Stem = "plot-loss-per-epoch";

    internal sealed record Curves(string Name, IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValLogLoss);

    /// <param name="stem">File name without extension; one plot per backbone uses its own.</param>
    public static PlotFile? Render(IReadOnlyList<Curves> backbones, string folder, string stem = Stem, int width = PlotFile.Width, int height = PlotFile.Height)
    {
        if (backbones.All(b => b.TrainLoss.Count == 0 && b.ValLogLoss.Count == 0)) return null;
        var plot = PlotFile.NewPlot();
        var single = backbones.Count == 1;
        for (var i = 0; i < backbones.Count; i++)
        {
            var b = backbones[i];
            var color = PlotFile.ColorOf(i);
            AddCurve(plot, b.TrainLoss, color, 2.5f, MarkerShape.FilledCircle, single ? "train loss" : $"{b.Name} train");
            AddCurve(plot, b.ValLogLoss, single ? PlotFile.ColorOf(1) : color, 1.2f, MarkerShape.OpenCircle, single ? "validation log loss" : $"{b.Name} validation");
        }
        var epochs = backbones.Max(b => Math.Max(b.TrainLoss.Count, b.ValLogLoss.Count));
        var step = Math.Max(1, (int)Math.Ceiling(epochs / 15.0));
        var ticks = Enumerable.Range(1, epochs).Where(e => (e - 1) % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(e => (double)e).ToArray(), ticks.Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title(single ? $"{backbones[0].Name}: loss per epoch" : "Training loss (thick, ●) and validation log loss (thin, ○) per epoch", 15);
        plot.XLabel("Epoch");
        plot.YLabel("Log loss");
        plot.Axes.Margins(0.05, 0.1);
        plot.ShowLegend(Edge.Right);
        return PlotFile.Save(plot, folder, stem, width, height);
    }

    private static void AddCurve(Plot plot, IReadOnlyList<double> values, Color color, float width, MarkerShape marker, string legend)
    {
        if (values.Count == 0) return;
        var line = plot.Add.Scatter(Enumerable.Range(1, values.Count).Select(e => (double)e).ToArray(), values.ToArray(), color);
        line.LineWidth = width;
        line.MarkerSize = 8;
        line.MarkerShape = marker;
        line.LegendText = legend;
    }
}
