using System.CommandLine;
using OpenCvSharp;
using Runner.Cli;
using Runner.Cli.Commands;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;

namespace Runner.Tests.Cli.Commands;

/// <summary><c>runner data preview</c> in process, on a tiny two-class folder dataset (absolute paths throughout).</summary>
public sealed class DataPreviewTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "runner-preview-" + Guid.NewGuid().ToString("N")[..8]);

    public DataPreviewTests()
    {
        foreach (var (name, level) in new[] { ("bright", 200), ("dark", 50) })
        {
            var dir = Directory.CreateDirectory(Path.Combine(_root, "data", name)).FullName;
            for (var i = 0; i < 8; i++)
            {
                using var image = new Mat(20, 20, MatType.CV_8UC3, Scalar.All(level));
                Cv2.Rectangle(image, new Rect(2 + i, 3, 6, 10), new Scalar(0, 0, 255), -1);
                TestImages.Write(Path.Combine(dir, $"{name}-{i}.png"), image);
            }
        }
        WriteExperiment("rotate: { p: 1, degrees: 20 }");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Yaml => Path.Combine(_root, "tiny.yaml");
    private string Out(string name = "preview.png") => Path.Combine(_root, "out", name);

    private void WriteExperiment(string step) => File.WriteAllText(Yaml, $"""
        name: tiny
        dataset:
          kind: folder
          path: {Path.Combine(_root, "data")}
          split: {"{"} validation: 0.25, test: 0.25, seed: 1 {"}"}
        defaults:
          image_size: 16
          augment: spin
        augmentations:
          spin:
            - hflip: {"{"} p: 0.5 {"}"}
            - {step}
        backbones:
          - mobilenet_v2
          - {"{"} name: plain, arch: resnet18, image_size: 24, augment: none {"}"}
        """);

    private static (int Code, string Output) Invoke(params string[] args)
    {
        var parsed = CommandLine.Build().Parse(["data", "preview", .. args]);
        var output = new StringWriter();
        var code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (code, output.ToString());
    }

    [Fact]
    public void Writes_a_png_grid_of_the_expected_size_and_prints_its_path()
    {
        var (code, output) = Invoke(Yaml, "--out", Out(), "--n", "5");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(Out(), output.Trim());
        using var png = Cv2.ImRead(Out(), ImreadModes.Unchanged);
        Assert.False(png.Empty());
        Assert.Equal(3, png.Channels());
        // 5 images → 3 columns × 2 rows of 16 px images enlarged ×6 to 96 px, 4 px gaps, 18 px captions, 22 px title.
        Assert.Equal((3 * 96 + 4 * 4, 22 + 2 * (96 + 18) + 3 * 4), (png.Width, png.Height));
        Assert.Equal(PreviewGrid.SizeOf(5, 16), (png.Width, png.Height));
        // Enlarged by a whole factor with nearest neighbour: the first tile is made of 6×6 blocks.
        using var tile = new Mat(png, new Rect(4, 22 + 4, 96, 96));
        for (var y = 0; y < 96; y += 6)
            for (var x = 0; x < 96; x += 6)
                Assert.Equal(tile.At<Vec3b>(y, x), tile.At<Vec3b>(y + 5, x + 5));
    }

    [Fact]
    public void The_backbone_option_picks_its_image_size_and_the_seed_makes_it_repeatable()
    {
        Assert.Equal(ExitCodes.Success, Invoke(Yaml, "--out", Out("a.png"), "--backbone", "plain", "--n", "4", "--seed", "3").Code);
        using (var png = Cv2.ImRead(Out("a.png")))
            Assert.Equal(PreviewGrid.SizeOf(4, 24), (png.Width, png.Height)); // 24 px → ×4 = 96 px tiles, 2 × 2

        Invoke(Yaml, "--out", Out("b.png"), "--n", "8", "--seed", "3");
        Invoke(Yaml, "--out", Out("c.png"), "--n", "8", "--seed", "3");
        Invoke(Yaml, "--out", Out("d.png"), "--n", "8", "--seed", "4");
        Assert.Equal(File.ReadAllBytes(Out("b.png")), File.ReadAllBytes(Out("c.png")));
        Assert.NotEqual(File.ReadAllBytes(Out("b.png")), File.ReadAllBytes(Out("d.png")));
    }

    [Fact]
    public void Shows_augmented_training_images_of_every_class()
    {
        WriteExperiment("cutout: { p: 1, size: 0.5 }");
        using var result = AugmentPreview.Render(
            Runner.Cli.Session.Load(Yaml).Spec.Dataset, Runner.Cli.Session.Load(Yaml).Spec.Backbones[0], 6, 1);

        Assert.Equal(8, result.TrainImages); // 16 images, a quarter each to validation and test
        Assert.Equal(6, result.Items.Count);
        Assert.All(result.Items, i => Assert.Equal("train", i.Split));
        Assert.Equal(3, result.Items.Count(i => i.Label == 0)); // classes interleaved
        // Every tile has a black cutout square.
        var tile = PreviewGrid.TileSize(16);
        for (var i = 0; i < 6; i++)
        {
            var (x, y) = (PreviewGrid.Gap + i % 3 * (tile + PreviewGrid.Gap),
                PreviewGrid.TitleHeight + PreviewGrid.Gap + i / 3 * (tile + PreviewGrid.CaptionHeight + PreviewGrid.Gap));
            using var region = new Mat(result.Grid, new Rect(x, y, tile, tile));
            using var gray = new Mat();
            Cv2.CvtColor(region, gray, ColorConversionCodes.BGR2GRAY);
            Assert.True(Cv2.CountNonZero(gray) < tile * tile, $"tile {i} has no cutout");
        }
    }

    [Fact]
    public void More_images_than_the_train_split_has_shows_them_all()
    {
        Assert.Equal(ExitCodes.Success, Invoke(Yaml, "--out", Out(), "--n", "100").Code);
        using var png = Cv2.ImRead(Out());
        Assert.Equal(PreviewGrid.SizeOf(8, 16), (png.Width, png.Height));
    }

    [Fact]
    public void Unreadable_files_are_passed_over_and_named()
    {
        var dataset = Runner.Cli.Session.Load(Yaml).Spec.Dataset;
        var train = Runner.Core.Data.Splitter.Assign(Runner.Core.Data.DatasetScanner.List(dataset).Items, dataset.Split)
            .Where(i => i.Split == "train").ToList();
        var broken = train.Where(i => i.File.StartsWith("dark/", StringComparison.Ordinal)).Take(2).ToList();
        Assert.Equal(2, broken.Count);
        foreach (var item in broken) File.WriteAllText(Path.Combine(_root, "data", item.File), "not a png");
        var error = new StringWriter();

        var code = DataPreviewCommand.Preview(Yaml, Out(), null, 100, null, TextWriter.Null, error);

        Assert.Equal(ExitCodes.Success, code);
        using var png = Cv2.ImRead(Out());
        Assert.Equal(PreviewGrid.SizeOf(train.Count - 2, 16), (png.Width, png.Height));
        Assert.All(broken, item => Assert.Contains($"{item.File}: not a readable image", error.ToString()));
    }

    [Theory]
    [InlineData("--n", "0")]
    [InlineData("--n", "5000")]
    [InlineData("--backbone", "mobilenet")]
    [InlineData("--out", "grid.jpg")]
    public void Bad_options_exit_2(string option, string value)
    {
        string[] args = option == "--out" ? [Yaml, option, Path.Combine(_root, value)] : [Yaml, "--out", Out(), option, value];
        Assert.Equal(ExitCodes.InvalidInput, Invoke(args).Code);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void Unknown_backbone_suggests_one()
    {
        var e = Assert.Throws<UsageException>(() =>
            DataPreviewCommand.Preview(Yaml, Out(), "mobilenet_v3", 4, null, TextWriter.Null, TextWriter.Null));
        Assert.Contains("did you mean 'mobilenet_v2'?", e.Message);
        Assert.Contains("mobilenet_v2, plain", e.Message);
    }

    [Fact]
    public void Missing_experiment_or_unreadable_image_exit_2()
    {
        Assert.Equal(ExitCodes.InvalidInput, Invoke(Path.Combine(_root, "nope.yaml"), "--out", Out()).Code);

        foreach (var dir in new[] { "bright", "dark" })
            for (var i = 0; i < 8; i++) File.WriteAllText(Path.Combine(_root, "data", dir, $"{dir}-{i}.png"), "not a png");
        Assert.Equal(ExitCodes.InvalidInput, Invoke(Yaml, "--out", Out()).Code);
        Assert.False(File.Exists(Out()));
    }
}
