using System.Buffers.Binary;
using OpenCvSharp;
using Runner.Core.Data;

namespace Runner.Torch.Data;

/// <summary>
/// Decodes an image file to BGR for a size×size target. A JPEG at least twice the target in both dimensions is decoded
/// by libjpeg at 1/2, 1/4 or 1/8 scale (IMREAD_REDUCED_COLOR_*), the largest that still leaves both dimensions at or
/// above the target, which skips most of the inverse DCT and colour conversion; the area filter then shrinks the rest.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Throws <see cref="InvalidDataException"/> for a file OpenCV cannot decode.</summary>
    public static Mat Decode(string path, int size)
    {
        var bytes = File.ReadAllBytes(path);
        Mat mat;
        try
        {
            mat = Cv2.ImDecode(bytes, ModeFor(bytes, size));
        }
        catch (Exception e) when (e is OpenCVException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a readable image ({e.Message})", e);
        }
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidDataException($"{path}: not a readable image");
        }
        return mat;
    }

    public static ImreadModes ModeFor(ReadOnlySpan<byte> bytes, int size)
    {
        if (ImageContainer.Sniff(bytes) != ImageContainer.Format.Jpeg || JpegDimensions(bytes) is not var (width, height))
            return ImreadModes.Color;
        var smaller = Math.Min(width, height);
        return smaller >= 8 * size ? ImreadModes.ReducedColor8
            : smaller >= 4 * size ? ImreadModes.ReducedColor4
            : smaller >= 2 * size ? ImreadModes.ReducedColor2
            : ImreadModes.Color;
    }

    /// <summary>Width and height from the first start-of-frame segment, or null when the header cannot be walked.</summary>
    public static (int Width, int Height)? JpegDimensions(ReadOnlySpan<byte> b)
    {
        var i = 2;
        while (i + 4 <= b.Length)
        {
            if (b[i] != 0xFF) return null;
            var marker = b[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                i += 2; // standalone marker
                continue;
            }
            if (marker is 0xD9 or 0xDA) return null; // end of image or start of scan before any frame header
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return i + 9 <= b.Length && length >= 7
                    ? (BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]))
                    : null;
            i += 2 + length;
        }
        return null;
    }
}
