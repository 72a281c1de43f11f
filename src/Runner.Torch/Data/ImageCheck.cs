using OpenCvSharp;
using Runner.Core.Data;

namespace Runner.Torch.Data;

/// <summary>
/// The data task's image check with OpenCV: the byte-level container check first (empty, not an image, truncated —
/// OpenCV decodes a truncated JPEG partially with only a warning), then a full decode from the bytes already read.
/// JPEGs decode at 1/8 scale: every entropy-coded block is still Huffman-decoded, so corrupt data is still found, but the
/// inverse DCT and colour conversion, most of the time, are skipped. Thread-safe.
/// </summary>
public sealed class ImageCheck : IImageValidator
{
    public string? Problem(string path) => ImageContainer.CheckBytes(path, Problem);

    public static string? Problem(byte[] bytes)
    {
        if (ImageContainer.Problem(bytes) is { } problem) return problem;
        var format = ImageContainer.Sniff(bytes);
        try
        {
            using var mat = Cv2.ImDecode(bytes, format == ImageContainer.Format.Jpeg ? ImreadModes.ReducedGrayscale8 : ImreadModes.Unchanged);
            if (mat.Empty() || mat.Width <= 0 || mat.Height <= 0)
                return $"not a readable image: OpenCV cannot decode this {format.ToString().ToUpperInvariant()} file";
            return null;
        }
        catch (OpenCVException e)
        {
            return $"not a readable image: {e.Message}";
        }
    }
}
