using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using OpenCvSharp;
using Runner.Core.Data;

namespace Runner.Torch.Data;

/// <summary>
/// A split manifest's images decoded once, converted to RGB and resized to size×size, kept as bytes (HWC).
/// Shared per (dataset root, size) within a process, so eval and timing reuse what training decoded.
/// </summary>
public sealed class DecodedImages
{
    private static readonly ConcurrentDictionary<(string Root, int Size), DecodedImages> Shared = new();
    private readonly Dictionary<string, byte[]> _pixels;

    private DecodedImages(int size, Dictionary<string, byte[]> pixels)
    {
        Size = size;
        _pixels = pixels;
    }

    public int Size { get; }
    public int BytesPerImage => Size * Size * 3;
    public ReadOnlySpan<byte> this[string id] => _pixels[id];

    public static DecodedImages For(SplitManifest manifest, int size)
    {
        var key = (manifest.Root, size);
        var images = Shared.GetOrAdd(key, _ => new DecodedImages(size, []));
        lock (images._pixels)
        {
            var missing = manifest.Items.Where(i => !images._pixels.ContainsKey(i.Id)).ToList();
            var idx = new Dictionary<string, IdxFile>();
            foreach (var item in missing)
            {
                using var mat = item.Index is { } index ? FromIdx(manifest.Root, item.File, index, idx) : FromFile(manifest.Root, item.File);
                images._pixels[item.Id] = ToRgbBytes(mat, size);
            }
        }
        return images;
    }

    private static Mat FromFile(string root, string file)
    {
        var path = Path.Combine(root, file);
        var mat = Cv2.ImRead(path, ImreadModes.Color);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidDataException($"{path}: not a readable image");
        }
        return mat;
    }

    private static Mat FromIdx(string root, string file, int index, Dictionary<string, IdxFile> open)
    {
        if (!open.TryGetValue(file, out var idx)) open[file] = idx = IdxFile.Read(Path.Combine(root, file));
        var gray = Mat.FromPixelData(idx.Dimensions[1], idx.Dimensions[2], MatType.CV_8UC1, idx.Item(index).ToArray());
        var bgr = new Mat();
        Cv2.CvtColor(gray, bgr, ColorConversionCodes.GRAY2BGR);
        gray.Dispose();
        return bgr;
    }

    /// <summary>BGR of any size → RGB bytes at size×size (area filter when shrinking, cubic when enlarging).</summary>
    internal static byte[] ToRgbBytes(Mat bgr, int size)
    {
        using var resized = new Mat();
        var shrinking = bgr.Width > size || bgr.Height > size;
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(size, size), interpolation: shrinking ? InterpolationFlags.Area : InterpolationFlags.Cubic);
        using var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        var bytes = new byte[size * size * 3];
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
