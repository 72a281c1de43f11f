using OpenCvSharp;
using Runner.Core.Config;
using Runner.Torch.Data;
using static Runner.Core.Config.AugmentOp;

namespace Runner.Tests.Torch.Data;

/// <summary>Augmenter: each step's effect at p = 1, identity at p = 0, determinism given the Random.</summary>
public sealed class AugmenterTests
{
    private const int Size = 32;

    /// <summary>Every kind with non-default parameters, built with probability <paramref name="p"/>.</summary>
    public static AugmentOp[] AllKinds(double p) =>
    [
        new HFlip(p),
        new VFlip(p),
        new CornerCrop(p, 0.75),
        new RandomResizedCrop(p, new Interval(0.2, 0.8), new Interval(0.5, 2)),
        new Rotate(p, 30),
        new ColorJitter(p, 0.4, 0.4, 0.4),
        new GaussianBlur(p, new Interval(0.5, 1.5)),
        new Cutout(p, 0.3, Cutout.Mean),
        new Grayscale(p),
    ];

    public static TheoryData<string> Kinds() => [.. AllKinds(1).Select(o => o.Kind)];

    private static AugmentOp Kind(string kind, double p) => AllKinds(p).Single(o => o.Kind == kind);

    private static byte[] Noise(int seed, int lo = 0, int hi = 256)
    {
        var random = new Random(seed);
        var bytes = new byte[Size * Size * 3];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)random.Next(lo, hi);
        return bytes;
    }

    private static byte[] Uniform(byte value) => Enumerable.Repeat(value, Size * Size * 3).ToArray();

    /// <summary>Red rises left to right, green top to bottom, blue is constant.</summary>
    private static byte[] Gradient()
    {
        var bytes = new byte[Size * Size * 3];
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                (bytes[At(x, y)], bytes[At(x, y) + 1], bytes[At(x, y) + 2]) = ((byte)(x * 8), (byte)(y * 8), 100);
        return bytes;
    }

    private static int At(int x, int y) => (y * Size + x) * 3;

    private static byte[] Augmented(byte[] input, int seed, params AugmentOp[] ops)
    {
        var copy = (byte[])input.Clone();
        Augmenter.Apply(ops, copy, Size, new Random(seed));
        return copy;
    }

    /// <summary>What OpenCV gives for cropping <paramref name="rect"/> and resizing it back to Size.</summary>
    private static byte[] CropResized(byte[] input, Rect rect, InterpolationFlags interpolation)
    {
        using var image = Mat.FromPixelData(Size, Size, MatType.CV_8UC3, (byte[])input.Clone());
        using var crop = new Mat(image, rect);
        using var resized = new Mat();
        Cv2.Resize(crop, resized, new OpenCvSharp.Size(Size, Size), interpolation: interpolation);
        resized.GetArray(out Vec3b[] pixels);
        return pixels.SelectMany(v => new[] { v.Item0, v.Item1, v.Item2 }).ToArray();
    }

    private static double Variance(byte[] bytes)
    {
        var mean = bytes.Average(b => (double)b);
        return bytes.Average(b => (b - mean) * (b - mean));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Probability_zero_leaves_the_image_alone(string kind)
    {
        var input = Noise(1);
        for (var seed = 0; seed < 20; seed++)
            Assert.Equal(input, Augmented(input, seed, Kind(kind, 0)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Probability_one_changes_a_noise_image(string kind)
    {
        var input = Noise(2);
        Assert.NotEqual(input, Augmented(input, 3, Kind(kind, 1)));
    }

    [Fact]
    public void Hflip_mirrors_columns_exactly()
    {
        var input = Noise(3);
        var output = Augmented(input, 0, new HFlip(1));
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                Assert.Equal(input.AsSpan(At(Size - 1 - x, y), 3).ToArray(), output.AsSpan(At(x, y), 3).ToArray());
    }

    [Fact]
    public void Vflip_mirrors_rows_exactly()
    {
        var input = Noise(4);
        var output = Augmented(input, 0, new VFlip(1));
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                Assert.Equal(input.AsSpan(At(x, Size - 1 - y), 3).ToArray(), output.AsSpan(At(x, y), 3).ToArray());
    }

    [Fact]
    public void Corner_crop_is_one_of_the_five_crops_and_each_occurs()
    {
        var input = Noise(5);
        // 0.75 of 32 = 24: the corners and the centre of the original study, scaled.
        Rect[] rects = [new(0, 0, 24, 24), new(8, 8, 24, 24), new(0, 8, 24, 24), new(8, 0, 24, 24), new(4, 4, 24, 24)];
        var expected = rects.Select(r => CropResized(input, r, InterpolationFlags.Cubic)).ToList();
        var seen = new HashSet<int>();
        for (var seed = 0; seed < 60; seed++)
        {
            var output = Augmented(input, seed, new CornerCrop(1, 0.75));
            var which = expected.FindIndex(e => e.AsSpan().SequenceEqual(output));
            Assert.True(which >= 0, $"seed {seed}: not one of the five crops");
            seen.Add(which);
        }
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public void Random_resized_crop_is_a_resized_sub_rectangle()
    {
        var input = Noise(6);
        var op = new RandomResizedCrop(1, new Interval(0.2, 0.8), new Interval(0.5, 2));
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            random.NextDouble(); // the p draw
            var rect = Augmenter.ResizedCropRect(Size, op.Scale, op.Ratio, random);
            Assert.True(rect.X >= 0 && rect.Y >= 0 && rect.Right <= Size && rect.Bottom <= Size && rect.Width > 0 && rect.Height > 0);
            Assert.Equal(CropResized(input, rect, InterpolationFlags.Linear), Augmented(input, seed, op));
        }
        Assert.Equal(Uniform(77), Augmented(Uniform(77), 1, op));
        Assert.NotEqual(Gradient(), Augmented(Gradient(), 1, op));
    }

    [Fact]
    public void Random_resized_crop_draws_area_and_ratio_within_range()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var rect = Augmenter.ResizedCropRect(224, new Interval(0.08, 1), new Interval(0.75, 4.0 / 3), random);
            var area = rect.Width * rect.Height / (224.0 * 224);
            var ratio = rect.Width / (double)rect.Height;
            Assert.InRange(area, 0.07, 1.0);
            Assert.InRange(ratio, 0.7, 1.4);
        }
    }

    [Fact]
    public void Random_resized_crop_falls_back_to_the_centre_crop_when_nothing_fits()
    {
        // A 5:1 to 10:1 box of 90 % of the area never fits a square: the centre crop narrowed to ratio 5 is used.
        var rect = Augmenter.ResizedCropRect(100, new Interval(0.9, 1), new Interval(5, 10), new Random(1));
        Assert.Equal(new Rect(0, 40, 100, 20), rect);
    }

    [Fact]
    public void Rotate_keeps_the_shape_changes_pixels_and_reflects_the_border()
    {
        var input = Gradient();
        var output = Augmented(input, 11, new Rotate(1, 30));
        Assert.Equal(input.Length, output.Length);
        Assert.NotEqual(input, output);
        // The angle is the second draw, uniform in ±30°; rotating about the centre with reflected borders:
        var random = new Random(11);
        random.NextDouble();
        var angle = -30 + 60 * random.NextDouble();
        using var image = Mat.FromPixelData(Size, Size, MatType.CV_8UC3, (byte[])input.Clone());
        using var matrix = Cv2.GetRotationMatrix2D(new Point2f((Size - 1) / 2f, (Size - 1) / 2f), angle, 1);
        using var expected = new Mat();
        Cv2.WarpAffine(image, expected, matrix, new OpenCvSharp.Size(Size, Size), InterpolationFlags.Linear, BorderTypes.Reflect101);
        expected.GetArray(out Vec3b[] pixels);
        Assert.Equal(pixels.SelectMany(v => new[] { v.Item0, v.Item1, v.Item2 }).ToArray(), output);
        // Reflected borders: a constant image stays constant (no black corners).
        Assert.Equal(Uniform(90), Augmented(Uniform(90), 11, new Rotate(1, 45)));
    }

    [Fact]
    public void Cutout_zeroes_a_clipped_square_of_the_right_side()
    {
        var side = (int)Math.Round(Size * 0.25); // 8
        var full = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var output = Augmented(Uniform(200), seed, new Cutout(1, 0.25));
            var zeros = Enumerable.Range(0, Size * Size).Where(i => output[i * 3] == 0).ToList();
            Assert.NotEmpty(zeros);
            var (xs, ys) = (zeros.Select(i => i % Size).ToList(), zeros.Select(i => i / Size).ToList());
            var (width, height) = (xs.Max() - xs.Min() + 1, ys.Max() - ys.Min() + 1);
            Assert.Equal(width * height, zeros.Count); // one filled rectangle
            Assert.All(zeros, i => Assert.Equal([0, 0, 0], output.AsSpan(i * 3, 3).ToArray()));
            Assert.True(width == side || xs.Min() == 0 || xs.Max() == Size - 1, $"seed {seed}: width {width}");
            Assert.True(height == side || ys.Min() == 0 || ys.Max() == Size - 1, $"seed {seed}: height {height}");
            Assert.Equal(Size * Size - zeros.Count, Enumerable.Range(0, Size * Size).Count(i => output[i * 3] == 200));
            if (zeros.Count == side * side) full++;
        }
        Assert.True(full > 10, $"only {full} of 40 cutouts were away from the borders");
    }

    [Fact]
    public void Grayscale_puts_each_pixel_s_luma_in_all_three_channels()
    {
        var input = Noise(5);
        var output = Augmented(input, 1, new Grayscale(1));

        for (var i = 0; i < Size * Size; i++)
        {
            var luma = 0.299 * input[i * 3] + 0.587 * input[i * 3 + 1] + 0.114 * input[i * 3 + 2];
            Assert.InRange(output[i * 3], Math.Floor(luma) - 1, Math.Ceiling(luma) + 1);
            Assert.Equal(output[i * 3], output[i * 3 + 1]);
            Assert.Equal(output[i * 3], output[i * 3 + 2]);
        }
    }

    [Fact]
    public void Cutout_with_mean_fill_uses_the_image_mean()
    {
        var input = new byte[Size * Size * 3];
        for (var i = 0; i < Size * Size; i++) (input[i * 3], input[i * 3 + 1], input[i * 3 + 2])
            = i < Size * Size / 2 ? ((byte)0, (byte)100, (byte)255)
            : ((byte)200, (byte)100, (byte)255);
        var output = Augmented(input, 3, new Cutout(1, 0.5, Cutout.Mean));
        var changed = Enumerable.Range(0, Size * Size).Where(i => !output.AsSpan(i * 3, 3).SequenceEqual(input.AsSpan(i * 3, 3))).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, i => Assert.Equal([100, 100, 255], output.AsSpan(i * 3, 3).ToArray()));
    }

    [Fact]
    public void Brightness_jitter_only_scales_pixel_values()
    {
        var input = Noise(8, 20, 200);
        var factors = new List<double>();
        for (var seed = 0; seed < 10; seed++)
        {
            var output = Augmented(input, seed, new ColorJitter(1, 0.2, 0, 0));
            var factor = output.Sum(b => (double)b) / input.Sum(b => (double)b);
            Assert.InRange(factor, 0.79, 1.21);
            for (var i = 0; i < input.Length; i++)
                Assert.True(Math.Abs(output[i] - input[i] * factor) <= 1, $"seed {seed}: byte {i}: {input[i]} × {factor} ≠ {output[i]}");
            factors.Add(factor);
        }
        Assert.True(factors.Distinct().Count() > 5);
    }

    [Fact]
    public void Contrast_and_saturation_jitter_leave_a_flat_grey_image_alone()
    {
        Assert.Equal(Uniform(120), Augmented(Uniform(120), 4, new ColorJitter(1, 0, 0.5, 0.5)));
    }

    [Fact]
    public void Gaussian_blur_reduces_the_variance_of_noise()
    {
        var input = Noise(9);
        var output = Augmented(input, 1, new GaussianBlur(1, new Interval(1, 2)));
        Assert.True(Variance(output) < Variance(input) / 3, $"{Variance(output)} vs {Variance(input)}");
        Assert.Equal(Uniform(50), Augmented(Uniform(50), 1, new GaussianBlur(1, new Interval(1, 2))));
    }

    [Theory]
    [InlineData(0.1, 3)]
    [InlineData(1.0, 7)]
    [InlineData(2.0, 13)]
    [InlineData(0.5, 5)]
    public void Blur_kernel_is_odd_and_covers_three_sigma(double sigma, int kernel) =>
        Assert.Equal(kernel, Augmenter.BlurKernel(sigma));

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var ops = AllKinds(0.7);
        var input = Noise(10);
        Assert.Equal(Augmented(input, 42, ops), Augmented(input, 42, ops));
        Assert.NotEqual(Augmented(input, 42, ops), Augmented(input, 43, ops));
    }

    [Fact]
    public void Threads_augmenting_at_once_get_what_one_thread_gets()
    {
        var ops = AllKinds(0.7);
        var inputs = Enumerable.Range(0, 64).Select(i => Noise(100 + i)).ToList();
        var sequential = inputs.Select((x, i) => Augmented(x, i, ops)).ToList();
        var parallel = new byte[inputs.Count][];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = Augmented(inputs[i], i, ops));
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void A_buffer_of_the_wrong_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Augmenter.Apply([new HFlip(1)], new byte[10], Size, new Random(1)));
    }
}
