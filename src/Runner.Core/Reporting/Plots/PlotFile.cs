using ScottPlot;

namespace Runner.Core.Reporting.Plots;

/// <summary>A plot written beside the report: the PNG the markdown embeds and the same plot as SVG.</summary>
internal sealed record PlotFile(string Png, string Svg)
{
    public const int Width = 800;
    public const int Height = 480;

    internal static PlotFile Save(Plot plot, string folder, string stem, int width = Width, int height = Height)
    {
        Directory.CreateDirectory(folder);
        plot.SavePng(Path.Combine(folder, stem + ".png"), width, height);
        plot.SaveSvg(Path.Combine(folder, stem + ".svg"), width, height);
        return new PlotFile(stem + ".png", stem + ".svg");
    }

    /// <summary>A new plot in a sans-serif face that has the ★ glyph (DejaVu Sans where installed, else ScottPlot's sans default).</summary>
    internal static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        return plot;
    }

    internal static Color ColorOf(int index) => new ScottPlot.Palettes.Category10().GetColor(index);
}
