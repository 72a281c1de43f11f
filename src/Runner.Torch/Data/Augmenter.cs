using System.Runtime.InteropServices;
using OpenCvSharp;
using Runner.Core.Config;

namespace Runner.Torch.Data;

/// <summary>Applies an augmentation list to one RGB image (HWC bytes), in place, each step with its probability.</summary>
public static class Augmenter
{
    public static void Apply(IReadOnlyList<AugmentOp> ops, byte[] rgb, int size, Random random)
    {
        if (ops.Count == 0) return;
        using var image = Mat.FromPixelData(size, size, MatType.CV_8UC3, rgb);
        foreach (var op in ops)
        {
            if (random.NextDouble() >= op.P) continue;
            switch (op.Kind)
            {
                case "hflip":
                    Cv2.Flip(image, image, FlipMode.Y);
                    break;
                case "corner_crop":
                    CornerCrop(image, size, op.Size ?? 0.875, random.Next(5));
                    break;
                default:
                    throw new NotSupportedException($"augmentation '{op.Kind}'");
            }
        }
        Marshal.Copy(image.Data, rgb, 0, rgb.Length);
    }

    /// <summary>The original study's crops: one of four corners or the centre, at <paramref name="fraction"/> of the side, resized back.</summary>
    private static void CornerCrop(Mat image, int size, double fraction, int which)
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
        using var crop = new Mat(image, new Rect(x, y, side, side));
        using var resized = new Mat();
        Cv2.Resize(crop, resized, new OpenCvSharp.Size(size, size), interpolation: InterpolationFlags.Cubic);
        resized.CopyTo(image);
    }
}
