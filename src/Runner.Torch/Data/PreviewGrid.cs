using OpenCvSharp;

namespace Runner.Torch.Data;

/// <summary>
/// Lays RGB tiles out in a grid (⌈√n⌉ columns) with a caption under each and a title line on top. Small images are
/// enlarged by a whole factor (nearest neighbour, so pixels stay honest) to at least <see cref="MinTile"/> px.
/// </summary>
internal static class PreviewGrid
{
    public const int MinTile = 96;
    public const int Gap = 4;
    public const int CaptionHeight = 18;
    public const int TitleHeight = 22;

    private static readonly Scalar Background = new(48, 48, 48);
    private static readonly Scalar Text = new(255, 255, 255);
    private const HersheyFonts Font = HersheyFonts.HersheySimplex;

    public static int Columns(int count) => (int)Math.Ceiling(Math.Sqrt(count));
    public static int Rows(int count) => (count + Columns(count) - 1) / Columns(count);
    public static int TileSize(int imageSize) => imageSize * Math.Max(1, (MinTile + imageSize - 1) / imageSize);

    /// <summary>The grid's width and height in pixels for <paramref name="count"/> images of <paramref name="imageSize"/> px.</summary>
    public static (int Width, int Height) SizeOf(int count, int imageSize)
    {
        var (tile, columns, rows) = (TileSize(imageSize), Columns(count), Rows(count));
        return (columns * tile + (columns + 1) * Gap, TitleHeight + rows * (tile + CaptionHeight) + (rows + 1) * Gap);
    }

    /// <summary>The grid as a BGR image (ready for <see cref="Cv2.ImWrite(string, Mat, int[])"/>).</summary>
    public static Mat Compose(IReadOnlyList<(byte[] Rgb, string Caption)> tiles, int imageSize, string title)
    {
        if (tiles.Count == 0) throw new ArgumentException("no images to lay out", nameof(tiles));
        var (width, height) = SizeOf(tiles.Count, imageSize);
        var tile = TileSize(imageSize);
        var columns = Columns(tiles.Count);
        var grid = new Mat(height, width, MatType.CV_8UC3, Background);
        PutFitted(grid, title, new Rect(Gap, 0, width - 2 * Gap, TitleHeight), 0.5);
        for (var i = 0; i < tiles.Count; i++)
        {
            var x = Gap + i % columns * (tile + Gap);
            var y = TitleHeight + Gap + i / columns * (tile + CaptionHeight + Gap);
            using var rgb = Mat.FromPixelData(imageSize, imageSize, MatType.CV_8UC3, tiles[i].Rgb);
            using var bgr = new Mat();
            Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
            using var enlarged = new Mat();
            Cv2.Resize(bgr, enlarged, new Size(tile, tile), interpolation: InterpolationFlags.Nearest);
            using (var target = new Mat(grid, new Rect(x, y, tile, tile))) enlarged.CopyTo(target);
            PutFitted(grid, tiles[i].Caption, new Rect(x, y + tile, tile, CaptionHeight), 0.45);
        }
        return grid;
    }

    /// <summary>Text centred in <paramref name="box"/>, shrunk until it fits (and clipped if it still does not).</summary>
    private static void PutFitted(Mat image, string text, Rect box, double scale)
    {
        if (text.Length == 0) return;
        Size size;
        while (true)
        {
            size = Cv2.GetTextSize(text, Font, scale, 1, out _);
            if (size.Width <= box.Width - 2 || scale <= 0.3) break;
            scale -= 0.05;
        }
        var x = box.X + Math.Max(1, (box.Width - size.Width) / 2);
        var y = box.Y + (box.Height + size.Height) / 2 - 1;
        using var region = new Mat(image, box);
        Cv2.PutText(region, text, new Point(x - box.X, y - box.Y), Font, scale, Text, 1, LineTypes.AntiAlias);
    }
}
