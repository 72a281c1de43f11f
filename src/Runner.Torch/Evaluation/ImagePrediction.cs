using System.Globalization;
using OpenCvSharp;
using Runner.Core.Data;
using Runner.Core.Evaluation;
using Runner.Core.Results;
using Runner.Core.Util;
using Runner.Torch.Data;
using Runner.Torch.Models;
using Runner.Torch.Training;
using Runner.Torch.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Evaluation;

/// <summary>
/// Predictions for a folder of images (<c>runner predict</c>): resolving the weights (a store name, a train task's checkpoint,
/// or a weight file), decoding images the way training does, running the model in eval mode, and writing the CSV.
/// </summary>
public static class ImagePrediction
{
    /// <summary>The image files predict reads (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    /// <summary>The <c>--normalize</c> choices; <c>arch</c> is the architecture's own.</summary>
    public static readonly IReadOnlyList<string> NormalizationNames = ["arch", "imagenet", "inception", "none"];

    /// <summary>Pixel / 255, nothing else.</summary>
    public static readonly Normalization Unnormalized = new("none", [0f, 0f, 0f], [1f, 1f, 1f]);

    private static readonly string[] WeightFileExtensions = [".pth", ".pt", ".bin", ".ckpt", ".tar", ".safetensors", ".onnx", ".dat"];

    /// <summary>Every image file directly in <paramref name="directory"/>, sorted by name (ordinal).</summary>
    public static IReadOnlyList<string> ListImages(string directory)
    {
        if (!Directory.Exists(directory))
            throw new PredictionException(File.Exists(directory) ? $"{directory} is a file, not a folder of images" : $"{directory}: no such folder");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToList();
        return files.Count > 0
            ? files
            : throw new PredictionException($"no images in {directory} (looked for {string.Join(", ", Extensions.Select(e => "*" + e))}, not in sub-folders)");
    }

    /// <summary><c>arch</c> → the architecture's own normalisation (mlnet's BGR mean included); imagenet, inception, none override it.</summary>
    public static Normalization ResolveNormalization(string name, ArchDefinition arch) => name switch
    {
        "arch" => arch.Normalization,
        "imagenet" => Normalization.ImageNet,
        "inception" => Normalization.Inception,
        "none" => Unnormalized,
        _ => throw new PredictionException($"unknown normalisation '{name}' (known: {string.Join(", ", NormalizationNames)})"),
    };

    /// <summary>
    /// The model <paramref name="weights"/> names, with its trained head: a train task's folder or its <c>model.bin</c> (next to
    /// <c>train.json</c>), a weight file in any format <see cref="WeightsFormats"/> reads (imported strictly), or a name in
    /// <paramref name="store"/>. The head size comes from the weights; weights without a head are refused.
    /// Throws <see cref="WeightsException"/> (bad input) when the weights cannot be used.
    /// </summary>
    public static PredictionModel LoadModel(ArchDefinition arch, string weights, WeightsStore store)
    {
        if (Directory.Exists(weights))
        {
            var checkpoint = Path.Combine(weights, TrainResult.Checkpoint);
            if (!File.Exists(checkpoint) || !File.Exists(Path.Combine(weights, TrainResult.FileName)))
                throw new WeightsException(
                    $"{weights} is a folder without a trained checkpoint: expected {TrainResult.Checkpoint} and {TrainResult.FileName} " +
                    "(a train task's cache entry)");
            return LoadCheckpoint(arch, checkpoint);
        }
        if (File.Exists(weights))
        {
            return IsCheckpoint(weights) ? LoadCheckpoint(arch, weights) : LoadFile(arch, weights);
        }
        if (LooksLikePath(weights))
            throw new WeightsException($"{weights}: no such file or folder");
        if (!WeightsStore.IsValidName(weights))
            throw new WeightsException($"--weights '{weights}' is neither an existing file or folder nor a name in the weights store");
        return LoadStored(arch, store.Require(arch, weights));
    }

    /// <summary>A train task's checkpoint: <c>model.bin</c> with <c>train.json</c> beside it.</summary>
    private static bool IsCheckpoint(string path) =>
        Path.GetFileName(path) == TrainResult.Checkpoint &&
        File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, TrainResult.FileName));

    private static bool LooksLikePath(string weights) =>
        weights.Contains(Path.DirectorySeparatorChar) || weights.Contains(Path.AltDirectorySeparatorChar) ||
        WeightFileExtensions.Contains(Path.GetExtension(weights), StringComparer.OrdinalIgnoreCase);

    private static PredictionModel LoadCheckpoint(ArchDefinition arch, string checkpoint)
    {
        var resultPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, TrainResult.FileName);
        TrainResult result;
        try
        {
            result = Json.Read<TrainResult>(resultPath);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or IOException)
        {
            throw new WeightsException($"{resultPath}: not a readable train result ({e.Message})", e);
        }
        if (result is null || result.Classes < 2)
            throw new WeightsException($"{resultPath}: the train result names {result?.Classes ?? 0} classes; a trained head needs at least 2");
        var outputs = new Head(result.Classes).Outputs;
        return LoadStrict(arch, checkpoint, outputs, result.ImageSize, $"checkpoint {checkpoint}",
            $"was it trained with --arch {arch.Name}?");
    }

    private static PredictionModel LoadStored(ArchDefinition arch, WeightsEntry entry)
    {
        if (!entry.Manifest.HasHead)
            throw NoHead(arch, $"the stored weights '{entry.Name}' for {arch.Name} (from {entry.Manifest.Source})");
        var model = arch.Create(entry.Manifest.HeadOutputs, entry.Manifest.ImageSize);
        try
        {
            // Only an auxiliary head the source lacked may be absent: inference never uses it.
            var inFile = WeightsStore.LoadStored(model, entry, arch);
            var absent = model.state_dict().Keys.Where(k => !inFile.Contains(k) && !IsAuxiliary(arch, k)).ToList();
            if (absent.Count > 0)
                throw new WeightsException($"stored weights '{entry.Name}' ({entry.WeightsPath}) lack {StateDicts.Preview(absent, 5)}; " +
                    $"import them again with `runner weights import FILE --arch {arch.Name} --name {entry.Name}`");
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new PredictionModel(arch, model, entry.Manifest.HeadOutputs, $"stored weights '{entry.Name}' ({entry.WeightsPath})");
    }

    private static bool IsAuxiliary(ArchDefinition arch, string key) =>
        arch.AuxiliaryHeadPrefix is { } aux && key.StartsWith(aux + ".", StringComparison.Ordinal);

    private static PredictionModel LoadStrict(ArchDefinition arch, string path, int outputs, int? imageSize, string source, string hint)
    {
        var model = arch.Create(outputs, imageSize);
        try
        {
            model.load(path, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new WeightsException($"{source} does not fit {arch.Name} with a {outputs}-output head ({e.Message}); {hint}", e);
        }
        return new PredictionModel(arch, model, outputs, source);
    }

    private static PredictionModel LoadFile(ArchDefinition arch, string path)
    {
        var imported = WeightsImport.Import(path, arch);
        if (!imported.HeadPresent)
        {
            imported.Dispose();
            throw NoHead(arch, $"{path} ({imported.Format})");
        }
        return new PredictionModel(arch, imported.Model, imported.HeadOutputs, $"{path} ({imported.Format})");
    }

    private static WeightsException NoHead(ArchDefinition arch, string what) => new(
        $"{what} has no classification head ({arch.HeadPrefix}.*): predictions need a trained head. Pass a train task's " +
        $"{TrainResult.Checkpoint} (or its folder) or a weight file that includes {arch.HeadPrefix}");

    /// <summary>The files among <paramref name="paths"/> whose content no OpenCV decoder recognises (a cheap check before any work).</summary>
    public static IReadOnlyList<string> Unrecognised(IEnumerable<string> paths) =>
        paths.Where(p => !Cv2.HaveImageReader(p)).ToList();

    /// <summary>
    /// One image file as RGB bytes (HWC) at size×size, decoded and converted exactly as training's <see cref="DecodedImages"/>
    /// does: an image already size×size is not resized, others are (area when shrinking, cubic when enlarging).
    /// Throws <see cref="InvalidDataException"/> for a file OpenCV cannot decode.
    /// </summary>
    public static byte[] DecodeRgb(string path, int size)
    {
        using var bgr = ImageDecoder.Decode(path, size);
        return DecodedImages.ToRgbBytes(bgr, size);
    }

    /// <summary>
    /// [n, 3, size, size] float input from RGB bytes, normalised as in training (<see cref="Normalization.ToChw"/>).
    /// </summary>
    public static Tensor ToTensor(IReadOnlyList<byte[]> images, int size, Normalization normalization)
    {
        var plane = size * size;
        var data = new float[images.Count * 3 * plane];
        for (var n = 0; n < images.Count; n++)
        {
            var pixels = images[n];
            if (pixels.Length != 3 * plane) throw new ArgumentException($"image {n} has {pixels.Length} bytes, not {3 * plane}");
            normalization.ToChw(pixels, data.AsSpan(n * 3 * plane, 3 * plane));
        }
        return torch.tensor(data, [images.Count, 3, size, size]);
    }

    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="files"/> through <see cref="Predictor.Run"/>, <paramref name="batchSize"/>
    /// at a time. Every file is decoded even after one fails, so that the <see cref="PredictionException"/> lists all unreadable
    /// files; the model stops running at the first failure.
    /// </summary>
    public static ImagePredictions Predict(PredictionModel model, IReadOnlyList<string> files, int size, Normalization normalization,
        int batchSize, Device device, Action<int, int>? progress = null)
    {
        if (size < 1) throw new PredictionException($"image size {size}: must be at least 1");
        if (batchSize < 1) throw new PredictionException($"batch size {batchSize}: must be at least 1");
        model.Model.to(device);
        var logits = new List<float[]>(files.Count);
        var probabilities = new List<float[]>(files.Count);
        var unreadable = new List<string>();
        Predictor.Run(model.Model, device, Decoded(files, size, normalization, batchSize, unreadable), images => Forward(model, images, size),
            (images, output) =>
            {
                if (output.Dimensions != 2 || output.shape[0] != images.shape[0] || output.shape[1] != model.Outputs)
                    throw new InvalidOperationException(
                        $"{model.Arch.Name} returned [{string.Join(", ", output.shape)}], expected [{images.shape[0]}, {model.Outputs}]");
                var raw = output.to(torch.CPU).to_type(ScalarType.Float32);
                logits.AddRange(Predictor.RowsOf<float>(raw, ScalarType.Float32));
                probabilities.AddRange(Predictor.RowsOf<float>(model.Probabilities(raw), ScalarType.Float32));
                progress?.Invoke(logits.Count, files.Count);
            });
        if (unreadable.Count > 0)
            throw new PredictionException(
                $"{unreadable.Count} unreadable image(s), nothing written:\n" + string.Join("\n", unreadable.Select(u => "  " + u)));
        return new ImagePredictions(files, model.Outputs, logits, probabilities);
    }

    /// <summary>Batches of decoded, normalised images; once a file fails (added to <paramref name="unreadable"/>) none is yielded.</summary>
    private static IEnumerable<Func<Tensor>> Decoded(IReadOnlyList<string> files, int size, Normalization normalization, int batchSize,
        List<string> unreadable)
    {
        for (var start = 0; start < files.Count; start += batchSize)
        {
            var chunk = files.Skip(start).Take(batchSize).ToList();
            var pixels = new byte[chunk.Count][];
            var failures = new string?[chunk.Count];
            Parallel.For(0, chunk.Count, i =>
            {
                try
                {
                    pixels[i] = DecodeRgb(chunk[i], size);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    failures[i] = e is InvalidDataException ? e.Message : $"{chunk[i]}: {e.Message}";
                }
            });
            unreadable.AddRange(failures.OfType<string>());
            if (unreadable.Count == 0) yield return () => ToTensor(pixels, size, normalization);
        }
    }

    private static Tensor Forward(PredictionModel model, Tensor images, int size)
    {
        try
        {
            return model.Model.forward(images);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new PredictionException($"{model.Arch.Name} cannot run on {size}×{size} images ({FirstLine(e.Message)}); try a larger --image-size");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>The CSV's lines (header first; invariant culture; floats in their shortest round-trip form).</summary>
    public static IReadOnlyList<string> CsvLines(ImagePredictions predictions, PredictionFormat format)
    {
        var lines = new List<string>(predictions.Files.Count + 1);
        switch (format)
        {
            case PredictionFormat.Logits:
            {
                IReadOnlyList<string> columns = predictions.Outputs == 1 ? ["c1"] : Enumerable.Range(0, predictions.Outputs).Select(c => $"c{c}").ToList();
                lines.Add("file," + string.Join(",", columns));
                for (var i = 0; i < predictions.Files.Count; i++)
                    lines.Add(Row(Path.GetFileName(predictions.Files[i]), predictions.Logits[i]));
                break;
            }
            case PredictionFormat.Probs:
                lines.Add("file," + string.Join(",", Enumerable.Range(0, predictions.Classes).Select(c => $"c{c}")));
                for (var i = 0; i < predictions.Files.Count; i++)
                    lines.Add(Row(Path.GetFileName(predictions.Files[i]), predictions.Probabilities[i]));
                break;
            case PredictionFormat.Kaggle:
                RequireBinary(predictions.Classes);
                var ids = KaggleOrder(predictions.Files).OrderBy(x => x.Index).Select(x => x.Id).ToList(); // refuses duplicate ids
                lines.AddRange(Submission.Lines(ids, predictions.Probabilities, ["0", "1"], Number));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
        return lines;
    }

    /// <summary>Kaggle's submission format needs a positive class: a two-class head.</summary>
    public static void RequireBinary(int classes)
    {
        if (classes != 2)
            throw new PredictionException(
                $"--format kaggle writes the positive-class probability, so it needs a two-class head; this head has {classes} classes " +
                "(use --format probs)");
    }

    /// <summary>
    /// (id, row index) in the order the submission lists them: ids are file names without extension in natural order (2 before 10,
    /// img2 before img10), the order of the eval task's <c>submission.csv</c>. Two files with the same id are refused.
    /// </summary>
    public static IReadOnlyList<(string Id, int Index)> KaggleOrder(IReadOnlyList<string> files)
    {
        var ids = files.Select((f, i) => (Id: Path.GetFileNameWithoutExtension(f), Index: i)).ToList();
        var duplicates = ids.GroupBy(x => x.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(x => Path.GetFileName(files[x.Index])))})").ToList();
        if (duplicates.Count > 0)
            throw new PredictionException($"--format kaggle: several files share an id: {string.Join("; ", duplicates)}");
        return ids.OrderBy(x => x.Id, NaturalComparer.Instance).ToList();
    }

    /// <summary>Writes the CSV (UTF-8, no BOM, \n line ends) atomically, creating the folder if needed.</summary>
    public static void WriteCsv(string path, IReadOnlyList<string> lines)
    {
        if (Directory.Exists(path)) throw new PredictionException($"--output {path} is a folder; give a file name");
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.WriteAllText(full, Csv.Text(lines));
    }

    private static string Row(string file, float[] values) => Csv.Field(file) + "," + string.Join(",", values.Select(Number));

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
