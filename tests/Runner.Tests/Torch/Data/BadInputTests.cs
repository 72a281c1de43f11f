using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;

namespace Runner.Tests.Torch.Data;

/// <summary>
/// The data task finds every kind of bad input before anything trains and names each file; with
/// <c>on_bad_image: skip</c> it leaves them out and records them.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly ImageFolder _files = new();

    public void Dispose() => _files.Dispose();

    private string Pets(int perClass = 4, string extension = ".png")
    {
        _files.Images("pets/cat", "c", perClass, extension);
        _files.Images("pets/dog", "d", perClass, extension);
        return _files.PathOf("pets");
    }

    [Theory]
    [InlineData("truncated.jpg", "truncated JPEG")]
    [InlineData("truncated.png", "truncated PNG")]
    [InlineData("empty.jpg", "empty file (0 bytes)")]
    [InlineData("garbage.jpg", "not an image: the content is not JPEG, PNG, BMP or WebP (it is text, e.g. an HTML page saved under an image name)")]
    [InlineData("unreadable.png", "unreadable: file not found")]
    public void Each_kind_of_bad_file_fails_the_data_task_naming_the_file(string name, string problem)
    {
        var dir = Pets();
        var path = Path.Combine("pets", "dog", name);
        switch (name)
        {
            case "truncated.jpg" or "truncated.png": _files.Truncated(path); break;
            case "empty.jpg": _files.Empty(path); break;
            case "garbage.jpg": _files.Garbage(path); break;
            default: _files.Unreadable(path); break;
        }

        var e = DataSpecs.Fails(DataSpecs.Folder(dir));

        Assert.StartsWith($"1 bad input file in dataset {dir}:", e.Message);
        Assert.Contains($"  {dir}/dog/{name}: {problem}", e.Message);
        Assert.Contains("set dataset.on_bad_image: skip", e.Message);
    }

    [Fact]
    public void Every_offending_file_is_in_one_message_first_20_then_a_count()
    {
        var dir = Pets();
        for (var i = 0; i < 23; i++) _files.Empty($"pets/cat/empty{i:D2}.jpg");
        _files.Truncated("pets/dog/cut.jpg");

        var e = DataSpecs.Fails(DataSpecs.Folder(dir));

        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal($"24 bad input files in dataset {dir}:", lines[0]);
        Assert.Equal(20, lines.Count(l => l.StartsWith($"  {dir}/", StringComparison.Ordinal)));
        Assert.Equal("  … and 4 more (total 24)", lines[21]);
        Assert.Equal($"  {dir}/cat/empty00.jpg: empty file (0 bytes)", lines[1]);
    }

    [Fact]
    public void Truncated_jpeg_that_opencv_would_still_decode_is_caught_by_the_missing_end_marker()
    {
        var path = _files.Truncated("cut.jpg", fraction: 0.9);
        using (var partial = OpenCvSharp.Cv2.ImRead(path))
            Assert.False(partial.Empty(), "OpenCV decodes a truncated JPEG with only a warning — which is why the trailer is checked");

        Assert.StartsWith("truncated JPEG", new ImageCheck().Problem(path));
        Assert.StartsWith("truncated JPEG", new ImageContainer().Problem(path));
        Assert.Null(new ImageCheck().Problem(_files.Image("whole.jpg", size: 64)));
    }

    [Fact]
    public void Jpeg_with_data_after_the_end_marker_and_png_after_iend_are_fine()
    {
        var jpeg = _files.Image("a.jpg", size: 64);
        File.AppendAllText(jpeg, "trailing data some cameras append");
        var png = _files.Image("a.png", size: 64);
        File.AppendAllText(png, "\0\0\0");

        Assert.Null(new ImageCheck().Problem(jpeg));
        Assert.Null(new ImageCheck().Problem(png));
        Assert.Null(new ImageCheck().Problem(_files.Image("a.bmp")));
        Assert.Null(new ImageCheck().Problem(_files.Image("a.webp")));
        Assert.StartsWith("truncated BMP", new ImageCheck().Problem(_files.Truncated("b.bmp")));
        Assert.StartsWith("truncated WebP", new ImageCheck().Problem(_files.Truncated("b.webp")));
    }

    [Theory]
    [InlineData(OpenCvSharp.ImwriteFlags.JpegProgressive, 1)]
    [InlineData(OpenCvSharp.ImwriteFlags.JpegRstInterval, 2)]
    [InlineData(OpenCvSharp.ImwriteFlags.JpegOptimize, 1)]
    public void Progressive_and_restart_marker_jpegs_are_walked_to_their_end(OpenCvSharp.ImwriteFlags flag, int value)
    {
        var path = _files.PathOf($"{flag}.jpg");
        TestImages.Noise(path, 80, 64, new OpenCvSharp.ImageEncodingParam(flag, value));
        Assert.Null(new ImageCheck().Problem(path));

        var bytes = File.ReadAllBytes(path);
        foreach (var keep in new[] { 3, 20, bytes.Length / 3, bytes.Length / 2, bytes.Length - 40, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes[..keep]);
            Assert.StartsWith("truncated JPEG", new ImageCheck().Problem(path));
        }
    }

    [Fact]
    public void Corrupt_image_data_that_still_has_valid_structure_fails_the_decode()
    {
        var png = _files.Image("a.png", size: 64);
        var bytes = File.ReadAllBytes(png);
        var idat = bytes.AsSpan().IndexOf("IDAT"u8);
        for (var i = idat + 8; i < idat + 40; i++) bytes[i] ^= 0x5A; // scramble the compressed pixels, keep the chunk layout
        File.WriteAllBytes(png, bytes);

        Assert.Null(new ImageContainer().Problem(png)); // the container is complete…
        Assert.StartsWith("not a readable image", new ImageCheck().Problem(png)); // …but it does not decode
    }

    [Fact]
    public void Empty_class_is_bad_input()
    {
        var dir = Pets();
        Directory.CreateDirectory(Path.Combine(dir, "fish"));

        var e = DataSpecs.Fails(DataSpecs.Folder(dir));

        Assert.Contains("1 of 3 classes has no images", e.Message);
        Assert.Contains($"'fish': no images in {dir}/fish", e.Message);
    }

    [Fact]
    public void A_split_left_without_a_class_is_bad_input()
    {
        _files.Images("pets/cat", "c", 1);
        _files.Images("pets/dog", "d", 4);

        var e = DataSpecs.Fails(DataSpecs.Folder(_files.PathOf("pets")));

        Assert.Contains("too few images to split", e.Message);
        Assert.Contains("has no 'cat'", e.Message);
    }

    [Fact]
    public void Labels_matching_no_pattern_or_two_are_bad_input_listed_with_the_bad_images()
    {
        for (var i = 0; i < 4; i++)
        {
            _files.Image($"kaggle/dog.{i}.png");
            _files.Image($"kaggle/cat.{i}.png");
        }
        _files.Image("kaggle/horse.1.png");
        _files.Image("kaggle/dogcat.1.png");
        _files.Truncated("kaggle/cat.9.png");
        var dir = _files.PathOf("kaggle");

        var e = DataSpecs.Fails(DataSpecs.Pattern(dir, ("dog", "^dog"), ("cat", "cat")));

        Assert.StartsWith($"3 bad input files in dataset {dir}:", e.Message);
        Assert.Contains($"{dir}/horse.1.png: file name matches no label pattern (dog: ^dog, cat: cat)", e.Message);
        Assert.Contains($"{dir}/dogcat.1.png: file name matches the patterns of 'dog' and 'cat'", e.Message);
        Assert.Contains($"{dir}/cat.9.png: truncated PNG", e.Message);
    }

    [Fact]
    public void Csv_missing_file_is_bad_input_with_its_csv_line()
    {
        for (var i = 0; i < 4; i++)
        {
            _files.Image($"d/a{i}.png");
            _files.Image($"d/b{i}.png");
        }
        var rows = Enumerable.Range(0, 4).SelectMany(i => new[] { $"a{i}.png,a", $"b{i}.png,b" });
        var csv = _files.Text("d/labels.csv", string.Join("\n", ["path,label", .. rows, "missing.png,a"]) + "\n");

        var e = DataSpecs.Fails(DataSpecs.Csv(csv));

        Assert.Contains($"{_files.PathOf("d")}/missing.png: file not found (listed on {csv}:10)", e.Message);
    }

    [Fact]
    public void Bad_images_in_the_predict_folder_are_bad_input_too()
    {
        var dir = Pets();
        _files.Image("test1/1.jpg");
        _files.Truncated("test1/2.jpg");
        _files.Image("test1/sub/1.png");

        var e = DataSpecs.Fails(DataSpecs.Folder(dir, predict: _files.PathOf("test1")));

        Assert.Contains($"{_files.PathOf("test1")}/2.jpg: truncated JPEG", e.Message);
        Assert.Contains($"{_files.PathOf("test1")}/sub/1.png: predict id '1' is already taken by {_files.PathOf("test1")}/1.jpg", e.Message);
    }

    [Fact]
    public void Skip_mode_leaves_bad_files_out_records_them_and_keeps_the_rest()
    {
        var dir = Pets();
        _files.Truncated("pets/dog/cut.jpg");
        _files.Empty("pets/cat/empty.png");
        _files.Image("test1/1.jpg");
        _files.Garbage("test1/2.jpg");

        var manifest = DataSpecs.Build(DataSpecs.Folder(dir, BadImagePolicy.Skip, predict: _files.PathOf("test1")));

        Assert.Equal(
            [
                new FileProblem($"{dir}/cat/empty.png", "empty file (0 bytes)"),
                new FileProblem($"{dir}/dog/cut.jpg", "truncated JPEG: the file ends before the end-of-image marker (FFD9)"),
                new FileProblem($"{_files.PathOf("test1")}/2.jpg", "not an image: the content is not JPEG, PNG, BMP or WebP (it is text, e.g. an HTML page saved under an image name)"),
            ],
            manifest.Skipped);
        Assert.Equal(8, manifest.Items.Count);
        Assert.DoesNotContain(manifest.Items, i => i.File is "dog/cut.jpg" or "cat/empty.png");
        Assert.Equal(["1"], manifest.Predict!.Select(i => i.Id.ToString()));

        var path = Path.Combine(_files.Root, "split.json");
        Runner.Core.Util.Json.Write(path, manifest);
        var read = Runner.Core.Util.Json.Read<SplitManifest>(path);
        Assert.Equal(manifest.Skipped, read.Skipped);
        Assert.Contains("\"skipped\": [", File.ReadAllText(path));
        Assert.Contains("\"problem\": \"empty file (0 bytes)\"", File.ReadAllText(path));
    }

    [Fact]
    public void Skip_mode_still_fails_when_skipping_empties_a_class()
    {
        _files.Images("pets/cat", "c", 4);
        _files.Empty("pets/dog/a.png");
        _files.Truncated("pets/dog/b.png");

        var e = DataSpecs.Fails(DataSpecs.Folder(_files.PathOf("pets"), BadImagePolicy.Skip));

        Assert.Contains("1 of 2 classes has no usable images", e.Message);
    }

    [Fact]
    public void Idx_datasets_are_checked_for_image_and_label_counts_instead_of_decoding()
    {
        var dir = Directory.CreateDirectory(_files.PathOf("mnist")).FullName;
        IdxFile.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), [6, 2, 2], new byte[6 * 4]);
        IdxFile.Write(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), [6], [0, 1, 0, 1, 0, 1]);
        var spec = new DatasetSpec(DatasetKinds.Idx, dir, null, null, new SplitSpec(0.2, 0.2, true, 1));
        Assert.Equal(6, DataSpecs.Build(spec).Items.Count);

        IdxFile.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), [5, 2, 2], new byte[5 * 4]);
        var e = DataSpecs.Fails(spec);
        Assert.Contains($"{dir}/train-images-idx3-ubyte.gz: 5 images but train-labels-idx1-ubyte.gz has 6 labels", e.Message);

        foreach (var gz in Directory.GetFiles(dir)) File.Delete(gz);
        IdxFile.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), [6], [0, 1, 0, 1, 0, 1]);
        IdxFile.Write(Path.Combine(dir, "train-images-idx3-ubyte"), [6, 2, 2], new byte[6 * 4]);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), File.ReadAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"))[..20]);
        var message = DataSpecs.Fails(spec).Message;
        Assert.Contains($"  {dir}/train-images-idx3-ubyte: header says 24 bytes of data, file has 4 (truncated?)", message);
        Assert.Contains("truncated", DataSpecs.Fails(spec with { OnBadImage = BadImagePolicy.Skip }).Message); // nothing to skip in one file
    }
}
