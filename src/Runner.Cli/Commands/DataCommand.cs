using System.CommandLine;
using Runner.Torch.Data;

namespace Runner.Cli.Commands;

/// <summary><c>runner data prepare fashion-mnist --out DIR</c>: a real image-folder dataset from Debian's Fashion-MNIST.</summary>
public static class DataCommand
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
            var chosen = p.GetValue(classes) is { } c ? c.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : FashionMnistExport.ClassNames;
            if (p.GetValue(limit) < 1) throw new UsageException("--limit must be at least 1");
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
        return new Command("data", "Dataset utilities") { prepare };
    }
}
