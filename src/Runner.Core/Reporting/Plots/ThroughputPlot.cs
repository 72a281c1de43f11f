using System.Globalization;
using ScottPlot;

namespace Runner.Core.Reporting.Plots;

/// <summary>Images per second per backbone: training and inference side by side (horizontal bars, values printed).</summary>
internal static class ThroughputPlot
{
    public const string Stem = "plot-throughput";

    internal sealed record Throughput(string Name, double TrainImagesPerSecond, double InferenceImagesPerSecond, string InferenceBatch);

    public static PlotFile? Render(IReadOnlyList<Throughput> backbones, string folder)
    {
        if (backbones.Count == 0) return null;
        var plot = PlotFile.NewPlot();
        var bars = new List<Bar>();
        for (var i = 0; i < backbones.Count; i++)
        {
            // Top to bottom in table order: the first backbone gets the highest position.
            var center = (backbones.Count - 1 - i) * 3.0;
            bars.Add(Bar(center + 0.45, backbones[i].TrainImagesPerSecond, PlotFile.ColorOf(0)));
            bars.Add(Bar(center - 0.45, backbones[i].InferenceImagesPerSecond, PlotFile.ColorOf(1)));
        }
        var plottable = plot.Add.Bars(bars.Where(b => double.IsFinite(b.Value)).ToList());
        plottable.Horizontal = true;
        plot.Axes.Left.SetTicks(
            backbones.Select((_, i) => (backbones.Count - 1 - i) * 3.0).ToArray(),
            backbones.Select(b => b.Name).ToArray());
        var batches = string.Join(", ", backbones.Select(b => b.InferenceBatch).Distinct());
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "training", FillColor = PlotFile.ColorOf(0) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"inference (batch {batches})", FillColor = PlotFile.ColorOf(1) });
        plot.ShowLegend(Edge.Bottom);
        plot.Title("Throughput (images per second, higher is better)", 15);
        plot.XLabel("Images per second");
        plot.Axes.Margins(left: 0, right: 0.18, bottom: 0.05, top: 0.05);
        return PlotFile.Save(plot, folder, Stem, PlotFile.Width, Math.Max(300, 130 + 70 * backbones.Count));
    }

    private static Bar Bar(double position, double value, Color color) => new()
    {
        Position = position,
        Value = value,
        Size = 0.9,
        FillColor = color,
        Label = double.IsFinite(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : "",
    };
}
