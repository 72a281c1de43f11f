using System.Runtime.InteropServices;
using OpenCvSharp;
using Runner.Core.Config;
using static Runner.Core.Config.AugmentOp;

namespace Runner.Torch.Data;

/// <summary>
/// Applies an augmentation list to one RGB image (HWC bytes, size×size), in place, each step with its probability.
/// Every random choice comes from <c>random</c>, in a fixed order, so the result depends only on it; there is no shared
/// state, so threads may augment different images at once (each with its own <see cref="Random"/>).
/// </summary>
internal static class Augmenter
{
    public static void Apply(IReadOnlyList<AugmentOp> ops, byte[] rgb, int size, Random random)
    {
        if (ops.Count == 0) return;
        if (rgb.Length != size * size * 3)
            throw new ArgumentException($"expected {size}×{size}×3 = {size * size * 3} bytes, got {rgb.Length}", nameof(rgb));
        using var image = Mat.FromPixelData(size, size, MatType.CV_8UC3, rgb);
        foreach (var op in ops)
        {
            if (random.NextDouble() >= op.P) continue;
            switch (op)
            {
                case HFlip:
                    Cv2.Flip(image, image, FlipMode.Y);
                    break;
                case VFlip:
                    Cv2.Flip(image, image, FlipMode.X);
                    break;
                case CornerCrop c:
                    ResizeBack(image, CornerCropRect(size, c.Size, random.Next(5)), InterpolationFlags.Cubic);
                    break;
                case RandomResizedCrop r:
                    ResizeBack(image, ResizedCropRect(size, r.Scale, r.Ratio, random), InterpolationFlags.Linear);
                    break;
                case Rotate r:
                    RotateBy(image, Uniform(random, -r.Degrees, r.Degrees));
                    break;
                case ColorJitter j:
                    Jitter(image, j, random);
                    break;
                case GaussianBlur g:
                    Blur(image, Uniform(random, g.Sigma.Min, g.Sigma.Max));
                    break;
                case Cutout c:
                    CutoutAt(image, CutoutRect(size, c.Size, random.Next(size), random.Next(size)), c.Fill);
                    break;
                case Grayscale:
                    ToGray(image);
                    break;
                default:
                    throw new NotSupportedException($"augmentation {op.GetType().Name} has no case here");
            }
        }
        // The Mat wraps rgb, but an OpenCV call may have given it a new buffer: copy back either way.
        Marshal.Copy(image.Data, rgb, 0, rgb.Length);
    }

    /// <summary>OpenCV's RGB→gray (0.299 R + 0.587 G + 0.114 B, rounded), copied back into all three channels.</summary>
    private static void ToGray(Mat image)
    {
        using var gray = new Mat();
        Cv2.CvtColor(image, gray, ColorConversionCodes.RGB2GRAY);
        Cv2.CvtColor(gray, image, ColorConversionCodes.GRAY2RGB);
    }

    private static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();

    /// <summary>The original study's crops: 0 top-left, 1 bottom-right, 2 bottom-left, 3 top-right, 4 centre.</summary>
    internal static Rect CornerCropRect(int size, double fraction, int which)
    {
        var side = (int)Math.Round(size * fraction);
        var far = size - side;
        var (x, y) = which switch
        {
            0 => (0, 0),
            1 => (far, far),
            2 => (0, far),
            3 => (far, 0),
            _ => (far / 2, far / 2),
        };
        return new Rect(x, y, side, side);
    }

    /// <summary>
    /// torchvision's RandomResizedCrop.get_params: up to 10 draws of (area fraction uniform in scale, aspect ratio
    /// log-uniform in ratio) until the box fits, then a uniform position; otherwise the centre crop clamped to ratio.
    /// </summary>
    internal static Rect ResizedCropRect(int size, Interval scale, Interval ratio, Random random)
    {
        var area = (double)size * size;
        var (logMin, logMax) = (Math.Log(ratio.Min), Math.Log(ratio.Max));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * Uniform(random, scale.Min, scale.Max);
            var aspect = Math.Exp(Uniform(random, logMin, logMax));
            var w = (int)Math.Round(Math.Sqrt(target * aspect));
            var h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && w <= size && h > 0 && h <= size)
            {
                var y = random.Next(size - h + 1);
                var x = random.Next(size - w + 1);
                return new Rect(x, y, w, h);
            }
        }
        // Fallback: the whole (square) image, narrowed to the ratio range.
        var (cw, ch) = ratio.Min > 1 ? (size, (int)Math.Round(size / ratio.Min))
            : ratio.Max < 1 ? ((int)Math.Round(size * ratio.Max), size)
            : (size, size);
        return new Rect((size - cw) / 2, (size - ch) / 2, cw, ch);
    }

    private static void ResizeBack(Mat image, Rect crop, InterpolationFlags interpolation)
    {
        using var region = new Mat(image, crop);
        using var resized = new Mat();
        Cv2.Resize(region, resized, image.Size(), interpolation: interpolation);
        resized.CopyTo(image);
    }

    private static void RotateBy(Mat image, double degrees)
    {
        var centre = new Point2f((image.Width - 1) / 2f, (image.Height - 1) / 2f);
        using var matrix = Cv2.GetRotationMatrix2D(centre, degrees, 1.0);
        using var rotated = new Mat();
        Cv2.WarpAffine(image, rotated, matrix, image.Size(), InterpolationFlags.Linear, BorderTypes.Reflect101);
        rotated.CopyTo(image);
    }

    /// <summary>Brightness, contrast and saturation in a random order; factors drawn after the order, as torchvision does.</summary>
    private static void Jitter(Mat image, ColorJitter jitter, Random random)
    {
        int[] order = [0, 1, 2];
        for (var i = order.Length - 1; i > 0; i--)
        {
            var k = random.Next(i + 1);
            (order[i], order[k]) = (order[k], order[i]);
        }
        double[] factors =
        [
            Uniform(random, 1 - jitter.Brightness, 1 + jitter.Brightness),
            Uniform(random, 1 - jitter.Contrast, 1 + jitter.Contrast),
            Uniform(random, 1 - jitter.Saturation, 1 + jitter.Saturation),
        ];
        foreach (var which in order)
        {
            var f = factors[which];
            if (f == 1) continue;
            switch (which)
            {
                case 0: // brightness: blend with black
                    image.ConvertTo(image, MatType.CV_8UC3, f, 0);
                    break;
                case 1: // contrast: blend with the mean grey level
                {
                    using var gray = new Mat();
                    Cv2.CvtColor(image, gray, ColorConversionCodes.RGB2GRAY);
                    image.ConvertTo(image, MatType.CV_8UC3, f, (1 - f) * Cv2.Mean(gray).Val0);
                    break;
                }
                default: // saturation: blend with the grey image
                {
                    using var gray = new Mat();
                    using var gray3 = new Mat();
                    Cv2.CvtColor(image, gray, ColorConversionCodes.RGB2GRAY);
                    Cv2.CvtColor(gray, gray3, ColorConversionCodes.GRAY2RGB);
                    Cv2.AddWeighted(image, f, gray3, 1 - f, 0, image);
                    break;
                }
            }
        }
    }

    /// <summary>The odd kernel size that covers ±3σ.</summary>
    internal static int BlurKernel(double sigma) => 2 * (int)Math.Ceiling(3 * sigma) + 1;

    private static void Blur(Mat image, double sigma)
    {
        var k = BlurKernel(sigma);
        Cv2.GaussianBlur(image, image, new Size(k, k), sigma, sigma, BorderTypes.Reflect101);
    }

    /// <summary>A square of <paramref name="fraction"/> × size centred at (cx, cy), clipped to the image.</summary>
    internal static Rect CutoutRect(int size, double fraction, int cx, int cy)
    {
        var side = Math.Max(1, (int)Math.Round(size * fraction));
        var (x0, y0) = (cx - side / 2, cy - side / 2);
        var (x1, y1) = (Math.Min(size, x0 + side), Math.Min(size, y0 + side));
        (x0, y0) = (Math.Max(0, x0), Math.Max(0, y0));
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    private static void CutoutAt(Mat image, Rect rect, string fill)
    {
        var value = fill == Cutout.Mean ? Cv2.Mean(image) : Scalar.All(0);
        using var region = new Mat(image, rect);
        region.SetTo(fill == Cutout.Mean ? new Scalar(Math.Round(value.Val0), Math.Round(value.Val1), Math.Round(value.Val2)) : value);
    }
}
