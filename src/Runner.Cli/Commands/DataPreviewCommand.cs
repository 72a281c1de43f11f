using System.CommandLine;
using OpenCvSharp;
using Runner.Core.Util;
using Runner.Torch.Data;

namespace Runner.Cli.Commands;

/// <summary>
/// <c>runner data preview FILE --out PNG [--backbone NAME] [--n 16] [--seed S]</c>: a grid of training images as a
/// backbone's training sees them (its image size, its augmentation list), with each image's class under it.
/// </summary>
internal static class DataPreviewCommand
{
    public const int MaxImages = 1024;

    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var backbone = new Option<string?>("--backbone") { Description = "Backbone whose image size and augmentations to use (default: the first)" };
        var count = new Option<int>("--n") { Description = $"Number of training images (1–{MaxImages})", DefaultValueFactory = _ => 16 };
        var seed = new Option<int?>("--seed") { Description = "Seed for picking and augmenting the images (default: the backbone's seed)" };
        var command = new Command("preview", "Write a PNG grid of augmented training images, as a backbone's training sees them")
        {
            file, output, backbone, count, seed,
        };
        command.SetAction(p => CommandLine.Guard(() => Preview(
            p.GetValue(file)!, p.GetValue(output)!, p.GetValue(backbone), p.GetValue(count), p.GetValue(seed),
            p.InvocationConfiguration.Output, p.InvocationConfiguration.Error)));
        return command;
    }

    public static int Preview(string file, string output, string? backboneName, int count, int? seed, TextWriter stdout, TextWriter stderr)
    {
        if (count is < 1 or > MaxImages) throw new UsageException($"--n {count}: must be between 1 and {MaxImages}");
        if (!output.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out {output}: give a .png file name");
        if (Directory.Exists(output)) throw new UsageException($"--out {output} is a folder; give a .png file name");

        var spec = Session.Load(file).Spec;
        var names = spec.Backbones.Select(b => b.Name).ToList();
        var backbone = backboneName is null ? spec.Backbones[0]
            : spec.Backbones.FirstOrDefault(b => b.Name == backboneName)
              ?? throw new UsageException($"--backbone {backboneName}: not in {file}{Suggest.DidYouMean(backboneName, names)}; " +
                  $"its backbones: {string.Join(", ", names)}");
        var actualSeed = seed ?? backbone.Seed;

        AugmentPreview.Result result;
        try
        {
            result = AugmentPreview.Render(spec.Dataset, backbone, count, actualSeed);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"dataset: {e.Message}");
        }
        using (result)
        {
            var full = Path.GetFullPath(output);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                if (!Cv2.ImWrite(full, result.Grid)) throw new IOException("OpenCV could not write it");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OpenCVException)
            {
                throw new UsageException($"--out {output}: {e.Message}");
            }
            foreach (var problem in result.Unreadable.Take(5)) stderr.WriteLine($"runner: passed over {problem}");
            if (result.Unreadable.Count > 5) stderr.WriteLine($"runner: … and {result.Unreadable.Count - 5} more unreadable file(s)");
            var shortBy = result.Items.Count < count ? $" (the train split has only {result.TrainImages - result.Unreadable.Count} readable)" : "";
            stderr.WriteLine($"{result.Items.Count} training image(s){shortBy} for {backbone.Name} at {backbone.ImageSize} px, " +
                $"augment '{backbone.AugmentName}' ({backbone.Augment.Count} step(s)), seed {actualSeed}");
            stdout.WriteLine(full);
        }
        return ExitCodes.Success;
    }
}
