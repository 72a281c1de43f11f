using System.CommandLine;
using Runner.Torch.Data;

namespace Runner.Cli.Commands;

/// <summary><c>runner data prepare fashion-mnist --out DIR</c>: a real image-folder dataset from Debian's Fashion-MNIST.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset to prepare (fashion-mnist)" };
        dataset.AcceptOnlyFromAmong("fashion-mnist");
        var output = new Option<string>("--out") { Description = "Output folder (one sub-folder per class)", Required = true };
        var classes = new Option<string>("--classes") { Description = $"Comma-separated classes: {string.Join(", ", FashionMnistExport.ClassNames)}" };
        var limit = new Option<int>("--limit") { Description = "Images per class", DefaultValueFactory = _ => 100 };
        var source = new Option<string>("--source") { Description = "Folder with the IDX files", DefaultValueFactory = _ => FashionMnistExport.DebianDirectory };
        var prepare = new Command("prepare", "Write a labelled image folder from a packaged dataset") { dataset, output, classes, limit, source };
        prepare.SetAction(p => CommandLine.Guard(() =>
        {
            var chosen = p.GetValue(classes) is { } c ? c.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : FashionMnistExport.ClassNames;
            if (p.GetValue(limit) < 1) throw new UsageException("--limit must be at least 1");
            var outFolder = p.GetValue(output)!;
            if (File.Exists(outFolder)) throw new UsageException($"--out {outFolder} is a file; give a new folder");
            if (Directory.Exists(outFolder) && Directory.EnumerateFileSystemEntries(outFolder).Any())
                throw new UsageException($"--out {outFolder} already has files; give a new or empty folder, so no class is merged into an existing dataset");
            try
            {
                var written = FashionMnistExport.Export(p.GetValue(source)!, p.GetValue(output)!, chosen, p.GetValue(limit));
                Console.WriteLine($"Wrote {written.Values.Sum()} images to {p.GetValue(output)}: {string.Join(", ", written.Select(w => $"{w.Key} {w.Value}"))}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException)
            {
                throw new UsageException(e.Message);
            }
        }));
        return new Command("data", "Dataset utilities") { prepare, DataPreviewCommand.Create(), Bench() };
    }

    /// <summary><c>runner data bench FILE</c>: the input pipeline alone (cache fill, then epochs of augmented batches), in images/s.</summary>
    private static Command Bench()
    {
        var file = CommandLine.FileArgument();
        var backbone = new Option<string>("--backbone") { Description = "Backbone whose image size, batch, augmentation and seed to use (default: the first)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to run after the cache fill", DefaultValueFactory = _ => 3 };
        var workers = new Option<int>("--workers") { Description = $"Loader threads (default: ${BatchLoader.WorkersVariable}, else one per core)",
            DefaultValueFactory = _ => BatchLoader.DefaultWorkers() };
        var fresh = new Option<bool>("--fresh") { Description = "Delete this dataset's decoded-image cache first, so the fill is measured" };
        var trainStep = new Option<bool>("--train-step") { Description = "Also time a train step of the backbone on random input: the rate it consumes images" };
        var device = CommandLine.DeviceOption("Device for --train-step: auto, cpu or cuda");
        var bench = new Command("bench", "Measure the data pipeline alone: decode-cache fill, then images/s per epoch") { file, backbone, epochs,
            workers, fresh, trainStep, device };
        bench.SetAction(p => CommandLine.Guard(() =>
        {
            if (p.GetValue(epochs) < 1) throw new UsageException("--epochs must be at least 1");
            Runner.Core.Execution.Concurrency.Require("--workers", p.GetValue(workers), 1, Runner.Core.Execution.Concurrency.MaxThreads);
            var spec = ExperimentFile.Load(p.GetValue(file)!);
            var name = p.GetValue(backbone);
            var chosen = name is null ? spec.Backbones[0] : spec.Backbones.FirstOrDefault(b => b.Name == name)
                ?? throw new UsageException($"--backbone {name}: not in {p.GetValue(file)} (backbones: {string.Join(", ", spec.Backbones.Select(b => b.Name))})");
            var runtime = Runner.Torch.TorchRuntime.Start(p.GetValue(device)!);
            Runner.Core.Data.SplitManifest manifest;
            try
            {
                manifest = new Runner.Core.Data.DataExecutor().Build(spec.Dataset);
            }
            catch (Runner.Core.Execution.InvalidInputException e)
            {
                throw new UsageException(e.Message);
            }
            PipelineBench.Run(manifest, chosen, Runner.Torch.Models.ArchRegistry.Default[chosen.Arch], runtime,
                new PipelineBench.Options(p.GetValue(epochs), p.GetValue(workers), p.GetValue(fresh), p.GetValue(trainStep)), Console.Out);
            return ExitCodes.Success;
        }));
        return bench;
    }
}
