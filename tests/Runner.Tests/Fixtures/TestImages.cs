using OpenCvSharp;

namespace Runner.Tests.Fixtures;

/// <summary>
/// The one writer of test images: every image a test puts on disk goes through <see cref="Write(string, Mat,
/// ImageEncodingParam[])"/>, which creates the folder, picks the format by extension and fails the test when OpenCV
/// cannot write it. Colours are BGR, as OpenCV has them.
/// </summary>
internal static class TestImages
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path, Mat image, params ImageEncodingParam[] encoding)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Assert.True(Cv2.ImWrite(path, image, encoding), $"could not write {path}");
        return path;
    }

    /// <summary>A width × height image of one colour.</summary>
    public static string Solid(string path, int width, int height, Scalar color)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3, color);
        return Write(path, image);
    }

    /// <summary>
    /// A width × height image of uniform noise between <paramref name="low"/> and <paramref name="high"/> (OpenCV's
    /// shared random generator, as <see cref="Mat.Randu"/> draws it).
    /// </summary>
    public static string Noise(string path, int width, int height, Scalar low, Scalar high,
        params ImageEncodingParam[] encoding)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        image.Randu(low, high);
        return Write(path, image, encoding);
    }

    /// <summary>Noise of full range in every channel.</summary>
    public static string Noise(string path, int width, int height, params ImageEncodingParam[] encoding) =>
        Noise(path, width, height, new Scalar(0, 0, 0), new Scalar(255, 255, 255), encoding);

    /// <summary>A width × height image of the given pixels (row by row, BGR, 3 bytes a pixel).</summary>
    public static string Pixels(string path, int width, int height, byte[] bgr)
    {
        using var image = Mat.FromPixelData(height, width, MatType.CV_8UC3, bgr);
        return Write(path, image);
    }

    /// <summary>A width × height image of pixels drawn from <paramref name="random"/>; returns them (HWC, BGR).</summary>
    public static byte[] RandomPixels(string path, int width, int height, Random random)
    {
        var bgr = new byte[width * height * 3];
        random.NextBytes(bgr);
        Pixels(path, width, height, bgr);
        return bgr;
    }
}
