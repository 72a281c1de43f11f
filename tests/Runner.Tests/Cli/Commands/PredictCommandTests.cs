using TorchSharp;
using TorchSharp.PyBridge;
using Runner.Cli;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Tests.Fixtures;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;

namespace Runner.Tests.Cli.Commands;

/// <summary><c>runner predict</c> in process: the CSV formats, checked against the model run directly on the same input.</summary>
[Collection(BinaryResNet18Collection.Name)]
public sealed class PredictCommandTests(BinaryResNet18 binary) : PredictTestBase
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Three 16×16 PNGs named so that name order (1, 10, 2) and numeric order (1, 2, 10) differ.</summary>
    private (string Directory, string[] Names, List<byte[]> Bgr) ThreeImages()
    {
        var directory = PathIn("images");
        string[] names = ["1.png", "10.png", "2.png"];
        var bgr = names.Select((n, i) => TestImages.RandomPixels(Path.Combine(directory, n), 16, 16, new Random(100 + i))).ToList();
        return (directory, names, bgr);
    }

    [Fact]
    public void Logits_probs_and_kaggle_match_the_model_on_the_same_input()
    {
        var (images, names, bgr) = ThreeImages();
        var expected = Logits(binary.Model, Reference(bgr, 16, ImageNetMean, ImageNetStd));

        var logitsCsv = PathIn("out", "logits.csv");
        var run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", images, "--output", logitsCsv, "--image-size", "16", "--format", "logits");
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        Assert.Contains($"Wrote 3 prediction(s) (logits) to {logitsCsv}", run.Output);
        var (header, rows) = ReadCsv(logitsCsv);
        Assert.Equal("file,c1", header);
        Assert.Equal(names, rows.Select(r => r[0]));
        var logits = rows.Select(Values).ToList();
        Close(expected, logits);
        Assert.True(logits.Select(l => l[0]).Distinct().Count() == 3, "the images should get different logits");

        var probsCsv = PathIn("out", "probs.csv");
        run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", images, "--output", probsCsv, "--image-size", "16");
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        (header, rows) = ReadCsv(probsCsv);
        Assert.Equal("file,c0,c1", header);
        Assert.Equal(names, rows.Select(r => r[0]));
        for (var i = 0; i < rows.Count; i++)
        {
            var p = Values(rows[i]);
            Close(1f, p[0] + p[1], 1e-6f);
            Close(Sigmoid(logits[i][0]), p[1], 1e-6f);
        }

        var kaggleCsv = PathIn("out", "submission.csv");
        run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", images, "--output", kaggleCsv, "--image-size", "16", "--format", "kaggle", "--batch-size", "2");
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        (header, rows) = ReadCsv(kaggleCsv);
        Assert.Equal("id,label", header);
        Assert.Equal(["1", "2", "10"], rows.Select(r => r[0]));
        var byName = names.Select((n, i) => (Path.GetFileNameWithoutExtension(n), Sigmoid(expected[i][0]))).ToDictionary();
        foreach (var row in rows) Close(byName[row[0]], Values(row)[0], 1e-5f);
    }

    [Fact]
    public void Images_already_NxN_are_not_resized_others_are()
    {
        var directory = PathIn("mixed");
        var square = TestImages.RandomPixels(Path.Combine(directory, "a_square.png"), 16, 16, new Random(1));
        var wide = TestImages.RandomPixels(Path.Combine(directory, "b_wide.png"), 24, 20, new Random(2));    // shrinking: area
        var small = TestImages.RandomPixels(Path.Combine(directory, "c_small.png"), 10, 12, new Random(3));  // enlarging: cubic
        var tall = TestImages.RandomPixels(Path.Combine(directory, "d_tall.png"), 16, 9, new Random(4));     // one side N
        File.WriteAllText(Path.Combine(directory, "notes.txt"), "not an image");
        TestImages.RandomPixels(Path.Combine(directory, "nested", "e.png"), 16, 16, new Random(5));          // not recursive

        // The decoded pixels: the N×N image byte for byte (RGB), the others resized as training does.
        Assert.Equal(Rgb(square), ImagePrediction.DecodeRgb(Path.Combine(directory, "a_square.png"), 16));
        Assert.Equal(Rgb(ResizedBgr(wide, 24, 20, 16)), ImagePrediction.DecodeRgb(Path.Combine(directory, "b_wide.png"), 16));
        Assert.Equal(Rgb(ResizedBgr(small, 10, 12, 16)), ImagePrediction.DecodeRgb(Path.Combine(directory, "c_small.png"), 16));

        var bgr = new List<byte[]> { square, ResizedBgr(wide, 24, 20, 16), ResizedBgr(small, 10, 12, 16), ResizedBgr(tall, 16, 9, 16) };
        var expected = Logits(binary.Model, Reference(bgr, 16, ImageNetMean, ImageNetStd));
        var csv = PathIn("mixed.csv");
        var run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", directory, "--output", csv, "--image-size", "16", "--format", "logits");
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        var (_, rows) = ReadCsv(csv);
        Assert.Equal(["a_square.png", "b_wide.png", "c_small.png", "d_tall.png"], rows.Select(r => r[0]));
        Close(expected, rows.Select(Values).ToList());
    }

    [Theory]
    [InlineData("arch")]
    [InlineData("imagenet")]
    [InlineData("inception")]
    [InlineData("none")]
    public void Normalisation_choices(string normalize)
    {
        var (images, _, bgr) = ThreeImages();
        var input = normalize switch
        {
            "inception" => Reference(bgr, 16, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]),
            "none" => Reference(bgr, 16, [0f, 0f, 0f], [1f, 1f, 1f]),
            _ => Reference(bgr, 16, ImageNetMean, ImageNetStd), // resnet18's own is ImageNet's
        };
        var expected = Logits(binary.Model, input);
        var csv = PathIn($"{normalize}.csv");
        var run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", images, "--output", csv, "--image-size", "16",
            "--format", "logits", "--normalize", normalize);
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        Close(expected, ReadCsv(csv).Rows.Select(Values).ToList());
    }

    [Fact]
    public void A_train_checkpoint_folder_or_its_model_bin_with_the_architecture_s_own_BGR_normalisation()
    {
        // mlnet_resnet18: its own normalisation feeds BGR, minus per-channel means on 0–255 values.
        var arch = MlNetResNetArchs.MlNetResNet18;
        var checkpoint = PathIn("cache", "train-abc");
        Directory.CreateDirectory(checkpoint);
        torch.manual_seed(11);
        using var model = arch.Create(3);
        model.save(Path.Combine(checkpoint, TrainResult.Checkpoint));
        Json.Write(Path.Combine(checkpoint, TrainResult.FileName), new TrainResult(3, 1, [1.0], [0.0], 10, [0.5], [0.5], 1, 0.1, 1));

        var (images, names, bgr) = ThreeImages();
        var expected = Logits(model, Reference(bgr, 16, arch.Normalization.Mean, [1f, 1f, 1f], scale: 1f, bgrInput: true));
        var probabilities = expected.Select(l =>
        {
            var max = l.Max();
            var e = l.Select(x => MathF.Exp(x - max)).ToArray();
            return e.Select(x => x / e.Sum()).ToArray();
        }).ToArray();

        foreach (var weights in new[] { checkpoint, Path.Combine(checkpoint, TrainResult.Checkpoint) })
        {
            var csv = PathIn("checkpoint.csv");
            var run = Run("--arch", arch.Name, "--weights", weights, "--images", images, "--output", csv, "--image-size", "16");
            Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
            Assert.Contains("3 classes", run.Output);
            var (header, rows) = ReadCsv(csv);
            Assert.Equal("file,c0,c1,c2", header);
            Assert.Equal(names, rows.Select(r => r[0]));
            Close(probabilities, rows.Select(Values).ToList(), 1e-5f);
            foreach (var row in rows) Close(1f, Values(row).Sum(), 1e-5f);
        }

        // The same checkpoint under the wrong architecture: a clear mismatch, exit 2.
        var wrong = Run("--arch", "resnet18", "--weights", checkpoint, "--images", images, "--output", PathIn("wrong.csv"), "--image-size", "16");
        Assert.Equal(ExitCodes.InvalidInput, wrong.Code);
        Assert.Contains("does not fit resnet18", wrong.Error);
        Assert.False(File.Exists(PathIn("wrong.csv")));
    }

    [Fact]
    public void A_ten_class_safetensors_head_gives_ten_probabilities_and_refuses_kaggle()
    {
        torch.manual_seed(3);
        using var model = ResNetArchs.ResNet18.Create(10);
        var file = PathIn("ten.safetensors");
        model.save_safetensors(file);
        var (images, _, bgr) = ThreeImages();

        var csv = PathIn("ten.csv");
        var run = Run("--arch", "resnet18", "--weights", file, "--images", images, "--output", csv, "--image-size", "16", "--format", "logits");
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        var (header, rows) = ReadCsv(csv);
        Assert.Equal("file," + string.Join(",", Enumerable.Range(0, 10).Select(c => $"c{c}")), header);
        Close(Logits(model, Reference(bgr, 16, ImageNetMean, ImageNetStd)), rows.Select(Values).ToList());

        run = Run("--arch", "resnet18", "--weights", file, "--images", images, "--output", csv, "--image-size", "16");
        Assert.Equal(ExitCodes.Success, run.Code);
        foreach (var row in ReadCsv(csv).Rows) Close(1f, Values(row).Sum(), 1e-5f);

        var kaggle = PathIn("ten-kaggle.csv");
        run = Run("--arch", "resnet18", "--weights", file, "--images", images, "--output", kaggle, "--image-size", "16", "--format", "kaggle");
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("needs a two-class head; this head has 10 classes", run.Error);
        Assert.False(File.Exists(kaggle));
    }

    [Fact]
    public void Weights_from_the_store()
    {
        Store.Import(binary.Path, ResNetArchs.ResNet18, "mine");
        var (images, _, bgr) = ThreeImages();
        var csv = PathIn("stored.csv");
        var run = RunWithStore("--arch", "resnet18", "--weights", "mine", "--images", images, "--output", csv, "--image-size", "16", "--format", "logits");
        Assert.Equal((ExitCodes.Success, ""), (run.Code, run.Error));
        Assert.Equal("file,c1", ReadCsv(csv).Header);
        Close(Logits(binary.Model, Reference(bgr, 16, ImageNetMean, ImageNetStd)), ReadCsv(csv).Rows.Select(Values).ToList());

        // A name the store does not have: the store's own message, exit 2.
        run = RunWithStore("--arch", "resnet18", "--weights", "nosuch", "--images", images, "--output", csv, "--image-size", "16");
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains(Store.AbsentMessage(ResNetArchs.ResNet18, "nosuch"), run.Error);
    }

    [Fact]
    public void Weights_without_a_head_are_refused()
    {
        // mlnet_resnet18's bundled ONNX (what 'imagenet' resolves to) is a featurizer with no classifier.
        var (images, _, _) = ThreeImages();
        var csv = PathIn("nohead.csv");
        var run = RunWithStore("--arch", "mlnet_resnet18", "--weights", "imagenet", "--images", images, "--output", csv, "--image-size", "16");
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("predictions need a trained head", run.Error);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Bad_input_exits_2_with_one_clear_message()
    {
        var (images, _, _) = ThreeImages();
        var csv = PathIn("bad.csv");
        string[] common = ["--arch", "resnet18", "--weights", binary.Path, "--output", csv, "--image-size", "16"];

        var empty = PathIn("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no images here");
        var run = Run([.. common, "--images", empty]);
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains($"no images in {empty}", run.Error);

        run = Run([.. common, "--images", PathIn("absent")]);
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("no such folder", run.Error);

        run = Run("--arch", "nope", "--weights", binary.Path, "--images", images, "--output", csv);
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("unknown architecture 'nope'", run.Error);

        run = Run("--arch", "resnet18", "--weights", PathIn("absent.pth"), "--images", images, "--output", csv);
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("no such file", run.Error);

        run = Run([.. common, "--images", images, "--batch-size", "0"]);
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("--batch-size 0", run.Error);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Unreadable_images_are_listed_and_nothing_is_written()
    {
        var (images, _, _) = ThreeImages();
        File.WriteAllText(Path.Combine(images, "3.jpg"), "not a jpeg");
        var csv = PathIn("unreadable.csv");
        var run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", images, "--output", csv, "--image-size", "16");
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("3.jpg", run.Error);
        Assert.DoesNotContain("10.png", run.Error);
        Assert.False(File.Exists(csv));

        // A PNG whose header is fine but whose data is cut short is found while decoding.
        File.Delete(Path.Combine(images, "3.jpg"));
        var bytes = File.ReadAllBytes(Path.Combine(images, "2.png"));
        File.WriteAllBytes(Path.Combine(images, "4.png"), bytes[..(bytes.Length / 2)]);
        run = Run("--arch", "resnet18", "--weights", binary.Path, "--images", images, "--output", csv, "--image-size", "16");
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("4.png", run.Error);
        Assert.False(File.Exists(csv));
    }

    private static byte[] Rgb(byte[] bgr)
    {
        var rgb = new byte[bgr.Length];
        for (var p = 0; p < bgr.Length; p += 3)
        {
            rgb[p] = bgr[p + 2];
            rgb[p + 1] = bgr[p + 1];
            rgb[p + 2] = bgr[p];
        }
        return rgb;
    }
}
