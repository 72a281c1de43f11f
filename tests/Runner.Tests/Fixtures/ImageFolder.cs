using OpenCvSharp;

namespace Runner.Tests.Fixtures;

/// <summary>Real images written with OpenCV into a temp folder, and broken copies of them.</summary>
internal sealed class ImageFolder : IDisposable
{
    private readonly TempDir _temp = new();

    public string Root => _temp.Path;

    public void Dispose() => _temp.Dispose();

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>A noisy colour image (so JPEG data is long enough to cut), format by extension.</summary>
    public string Image(string relative, int size = 32, int seed = 0)
    {
        return TestImages.Noise(PathOf(relative), size, size, new Scalar(seed % 50, 0, 0), new Scalar(255, 255, 255));
    }

    public void Images(string folder, string prefix, int count, string extension = ".png")
    {
        for (var i = 0; i < count; i++) Image(Path.Combine(folder, $"{prefix}{i:D2}{extension}"), seed: i);
    }

    /// <summary>A valid image cut to <paramref name="fraction"/> of its bytes.</summary>
    public string Truncated(string relative, double fraction = 0.6)
    {
        var path = Image(relative, size: 64);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        return path;
    }

    public string Empty(string relative) => Write(relative, []);

    public string Garbage(string relative) => Write(relative, "<!DOCTYPE html><html>404 not found</html>"u8.ToArray());

    /// <summary>A file that is listed but cannot be read: a link to nothing (the tests run as root, so permissions would not stop a read).</summary>
    public string Unreadable(string relative)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, PathOf("no-such-target.png"));
        return path;
    }

    public string Write(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Text(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));
}
