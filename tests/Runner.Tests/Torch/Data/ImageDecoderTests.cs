using OpenCvSharp;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;

namespace Runner.Tests.Torch.Data;

/// <summary>Large JPEGs are decoded at a reduced scale by libjpeg when the target is much smaller; nothing else changes.</summary>
public sealed class ImageDecoderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runner-decoder-").FullName;

    public ImageDecoderTests() => WeightsTestSupport.EnsureTorch();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A smooth photo-like gradient with some texture, width × height, written as JPEG (or PNG).</summary>
    private string Write(string name, int width, int height)
    {
        var pixels = new byte[height * width * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                    pixels[(y * width + x) * 3 + c] = (byte)((x * (c + 1) + y * (3 - c) + (x * y % 7) * 4) % 256);
        return TestImages.Pixels(Path.Combine(_folder, name), width, height, pixels);
    }

    [Fact]
    public void Reads_the_frame_size_from_the_jpeg_header()
    {
        var bytes = File.ReadAllBytes(Write("photo.jpg", 300, 200));
        Assert.Equal((300, 200), ImageDecoder.JpegDimensions(bytes));
        Assert.Null(ImageDecoder.JpegDimensions(bytes.AsSpan(0, 20)));
    }

    [Theory]
    [InlineData(24, ImreadModes.ReducedColor8)]
    [InlineData(32, ImreadModes.ReducedColor4)]
    [InlineData(100, ImreadModes.ReducedColor2)]
    [InlineData(101, ImreadModes.Color)]
    [InlineData(224, ImreadModes.Color)]
    public void Picks_the_largest_reduction_that_keeps_both_sides_at_or_above_the_target(int size, ImreadModes expected)
    {
        var bytes = File.ReadAllBytes(Write("photo.jpg", 300, 200));
        Assert.Equal(expected, ImageDecoder.ModeFor(bytes, size));
    }

    [Fact]
    public void Other_formats_and_unreadable_headers_decode_in_full()
    {
        Assert.Equal(ImreadModes.Color, ImageDecoder.ModeFor(File.ReadAllBytes(Write("photo.png", 300, 200)), 32));
        var jpeg = File.ReadAllBytes(Write("photo.jpg", 300, 200));
        Assert.Equal(ImreadModes.Color, ImageDecoder.ModeFor(jpeg.AsSpan(0, 40), 32));
    }

    [Fact]
    public void A_reduced_decode_gives_nearly_the_pixels_of_a_full_decode_after_resizing()
    {
        var path = Write("photo.jpg", 300, 200);
        using var reduced = ImageDecoder.Decode(path, 32);
        Assert.Equal((75, 50), (reduced.Width, reduced.Height));
        using var full = Cv2.ImRead(path, ImreadModes.Color);
        var fast = DecodedImages.ToRgbBytes(reduced, 32);
        var slow = DecodedImages.ToRgbBytes(full, 32);
        var meanDifference = fast.Zip(slow).Average(p => Math.Abs(p.First - p.Second));
        Assert.InRange(meanDifference, 0, 3.0);
    }

    [Fact]
    public void An_unreadable_file_names_itself()
    {
        var path = Path.Combine(_folder, "broken.jpg");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(path, 32));
        Assert.Contains("broken.jpg", error.Message);
    }
}
