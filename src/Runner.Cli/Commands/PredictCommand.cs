using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Runner.Torch;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Cli.Commands;

/// <summary>
/// <c>runner predict --arch A --weights W --images DIR --output CSV</c>: a trained model's predictions for a folder of images,
/// as logits, probabilities or a Kaggle submission.
/// </summary>
internal static class PredictCommand
{
    public static Command Create() => Create(() => WeightsStore.Default(), ArchRegistry.Default);

    /// <summary>The command over a given store and registry (tests pass a temporary store).</summary>
    public static Command Create(Func<WeightsStore> store, ArchRegistry archs)
    {
        var arch = new Option<string>("--arch")
        {
            Description = $"Architecture ({string.Join(", ", archs.Names.Order())})", Required = true,
        };
        var weights = new Option<string>("--weights")
        {
            Description = "Weights with a trained head: a train task's cache folder or its model.bin (next to train.json), " +
                $"a weight file ({string.Join(", ", WeightsFormats.Names)}; imported strictly), or a weights-store name such as " +
                $"'{WeightsStore.DefaultName}'. The class count comes from the head",
            Required = true,
        };
        var images = new Option<string>("--images")
        {
            Description = $"Folder of images ({string.Join(", ", ImagePrediction.Extensions.Select(e => e.TrimStart('.')))}; not recursive, sorted by name)",
            Required = true,
        };
        var output = new Option<string>("--output") { Description = "CSV file to write", Required = true };
        var size = new Option<int?>("--image-size")
        {
            Description = "Input size N: images are resized to N×N unless already N×N (default: the architecture's)",
        };
        var normalize = new Option<string>("--normalize")
        {
            Description = "Input normalisation: arch (the architecture's own), imagenet, inception or none (pixel/255)",
            DefaultValueFactory = _ => "arch",
        };
        normalize.AcceptOnlyFromAmong([.. ImagePrediction.NormalizationNames]);
        var format = new Option<string>("--format")
        {
            Description = "probs: file,c0,c1,… class probabilities (binary: c0 = 1-p, c1 = p); " +
                "logits: file,c0,c1,… raw logits (a binary head has one logit: the single column c1); " +
                "kaggle: id,label with the file name without extension (natural order: 2 before 10, as in the eval task's submission.csv) and the positive-class " +
                "probability (two-class heads only)",
            DefaultValueFactory = _ => "probs",
        };
        format.AcceptOnlyFromAmong("probs", "logits", "kaggle");
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass", DefaultValueFactory = _ => 32 };
        var device = CommandLine.DeviceOption();

        var command = new Command("predict", "Predict a folder of images with a trained model and write a CSV")
        {
            arch, weights, images, output, size, normalize, format, batchSize, device,
        };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var error = p.InvocationConfiguration.Error;
            try
            {
                return Predict(new Request(
                    p.GetValue(arch)!, p.GetValue(weights)!, p.GetValue(images)!, p.GetValue(output)!, p.GetValue(size),
                    p.GetValue(normalize)!, ParseFormat(p.GetValue(format)!), p.GetValue(batchSize), p.GetValue(device)!),
                    store, archs, p.InvocationConfiguration.Output);
            }
            catch (Exception e) when (e is UsageException or WeightsException or PredictionException)
            {
                error.WriteLine($"runner: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        }));
        return command;
    }

    /// <summary>What one <c>runner predict</c> was asked to do.</summary>
    public sealed record Request(
        string Arch, string Weights, string Images, string Output, int? ImageSize, string Normalize, PredictionFormat Format,
        int BatchSize, string Device);

    public static int Predict(Request request, Func<WeightsStore> store, ArchRegistry archs, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        if (!archs.Names.Contains(request.Arch))
            throw new UsageException($"unknown architecture '{request.Arch}' (known: {string.Join(", ", archs.Names.Order())})");
        var arch = archs[request.Arch];
        var size = request.ImageSize ?? arch.DefaultImageSize;
        if (size < 1) throw new UsageException($"--image-size {size}: must be at least 1");
        if (request.BatchSize < 1) throw new UsageException($"--batch-size {request.BatchSize}: must be at least 1");
        if (Directory.Exists(request.Output)) throw new UsageException($"--output {request.Output} is a folder; give a CSV file name");
        var normalization = ImagePrediction.ResolveNormalization(request.Normalize, arch);

        var files = ImagePrediction.ListImages(request.Images);
        var unrecognised = ImagePrediction.Unrecognised(files);
        if (unrecognised.Count > 0)
            throw new UsageException($"{unrecognised.Count} of {files.Count} file(s) in {request.Images} are not readable images:\n" +
                string.Join("\n", unrecognised.Select(f => "  " + f)));

        TorchRuntime runtime;
        try
        {
            runtime = TorchRuntime.Start(request.Device);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }

        using var model = ImagePrediction.LoadModel(arch, request.Weights, store());
        if (request.Format == PredictionFormat.Kaggle) ImagePrediction.RequireBinary(model.Classes);
        output.WriteLine($"Predicting {files.Count} image(s) with {arch.Name} ({model.Classes} classes, from {model.Source}) at " +
            $"{size}×{size}, {normalization.Name} normalisation, on {runtime.Device.type.ToString().ToLowerInvariant()}");

        var predictions = ImagePrediction.Predict(model, files, size, normalization, request.BatchSize, runtime.Device);
        ImagePrediction.WriteCsv(request.Output, ImagePrediction.CsvLines(predictions, request.Format));
        output.WriteLine($"Wrote {files.Count} prediction(s) ({FormatName(request.Format)}) to {request.Output} " +
            $"({clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        return ExitCodes.Success;
    }

    private static PredictionFormat ParseFormat(string name) => name switch
    {
        "probs" => PredictionFormat.Probs,
        "logits" => PredictionFormat.Logits,
        "kaggle" => PredictionFormat.Kaggle,
        _ => throw new UsageException($"--format {name}: use probs, logits or kaggle"),
    };

    private static string FormatName(PredictionFormat format) => format.ToString().ToLowerInvariant();
}
