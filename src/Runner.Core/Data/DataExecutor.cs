using System.Diagnostics;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Util;
using Runner.Core.Planning.Kinds;

namespace Runner.Core.Data;

/// <summary>
/// The <c>data</c> task: lists the dataset (and its predict folder), checks every file before anything trains, assigns
/// splits and checks that every split has every class. Unusable input fails the task with an
/// <see cref="InvalidInputException"/> naming every offending file, unless <c>dataset.on_bad_image: skip</c> leaves the
/// bad files out (they are recorded in the split manifest).
/// </summary>
/// <param name="images">Checks one image file (decoding it, where a decoder is available); defaults to the byte-level <see cref="ImageContainer"/>.</param>
public sealed class DataExecutor(IImageValidator? images = null) : ITaskExecutor<DataKind>
{
    private readonly IImageValidator _images = images ?? new ImageContainer();

    public void Execute(TaskContext context)
    {
        var manifest = Build(context.Params<DataParams>().Dataset.At(context.Environment.Dataset), context.Progress, context.Log, context.Cancel);
        Json.Write(context.Output(SplitManifest.FileName), manifest);
    }

    /// <summary>The split manifest of a dataset, or an <see cref="InvalidInputException"/> saying everything that is wrong with it.</summary>
    public SplitManifest Build(DatasetSpec spec, ITaskProgress? progress = null, Serilog.ILogger? log = null, CancellationToken cancel = default)
    {
        log ??= Serilog.Core.Logger.None;
        DatasetListing listing;
        try
        {
            listing = DatasetScanner.List(spec);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{spec.Path}: {e.Message}", e);
        }

        // Every file problem, in listing order: labels first (found while listing), then the image checks.
        var problems = listing.Problems.ToList();
        var clock = Stopwatch.StartNew();
        if (spec.Kind == DatasetKinds.Idx)
            problems.AddRange(DatasetScanner.CheckIdx(spec));
        var targets = spec.Kind == DatasetKinds.Idx
            ? listing.Predict.Select(i => Target(spec.Predict!, listing.PredictRoot!, i)).ToList()
            : [.. listing.Items.Select(i => Target(listing.DisplayRoot, listing.Root, i)), .. listing.Predict.Select(i => Target(spec.Predict!, listing.PredictRoot!, i))];
        problems.AddRange(ImageChecks.Run(targets, _images, progress, cancel: cancel));
        log.Information("Checked {Files} images in {Seconds:F1} s ({Rate:F0}/s): {Problems} problems",
            targets.Count, clock.Elapsed.TotalSeconds, targets.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), problems.Count);

        var skip = spec.OnBadImage == BadImagePolicy.Skip;
        if (problems.Count > 0 && (!skip || spec.Kind == DatasetKinds.Idx))
            throw InvalidInputException.Listing(
                $"{problems.Count} bad input file{(problems.Count == 1 ? "" : "s")} in dataset {spec.Path}{(spec.Predict is null ? "" : $" (predict: {spec.Predict})")}",
                problems.Select(p => $"{p.File}: {p.Problem}").ToList(),
                spec.Kind == DatasetKinds.Idx ? null : "Nothing was trained. Fix or remove these files, or set dataset.on_bad_image: skip to leave them out.");

        var bad = problems.Select(p => p.File).ToHashSet(StringComparer.Ordinal);
        var usable = listing.Items.Where(i => !bad.Contains(DisplayOf(listing, i))).ToList();
        var predict = listing.Predict.Where(i => !bad.Contains(DatasetScanner.Display(spec.Predict!, i.File))).ToList();
        if (problems.Count > 0)
            log.Warning("Skipping {Count} bad files (dataset.on_bad_image: skip): {Files}", problems.Count,
                string.Join("; ", problems.Take(20).Select(p => $"{p.File}: {p.Problem}")));

        var unsupported = listing.Unsupported
            .Select(f => new FileProblem(f.Replace('\\', '/'), "left out: GIF and TIFF are not read (JPEG, PNG, BMP and WebP are); convert it to use it")).ToList();
        if (unsupported.Count > 0)
            log.Warning("Leaving out {Count} GIF/TIFF files (not read): {Files}", unsupported.Count, string.Join("; ", unsupported.Take(20).Select(p => p.File)));

        var present = usable.Select(i => i.Label).ToHashSet();
        var empty = listing.Classes.Where((_, label) => !present.Contains(label)).ToList();
        if (listing.Classes.Count < 2)
            throw new InvalidInputException($"{spec.Path}: need at least two classes, found {listing.Classes.Count}{(listing.Classes.Count == 1 ? $" ('{listing.Classes[0]}')" : "")}");
        if (empty.Count > 0)
            throw InvalidInputException.Listing($"{spec.Path}: {empty.Count} of {listing.Classes.Count} classes ha{(empty.Count == 1 ? "s" : "ve")} no {(problems.Count > 0 ? "usable " : "")}images",
                empty.Select(c => $"'{c}': {EmptyClassHint(spec, c)}").ToList());

        var items = Splitter.Assign(usable, spec.Split);
        var counts = Splits.All.ToDictionary(
            s => s,
            s => (IReadOnlyDictionary<string, int>)listing.Classes.ToDictionary(c => c, c => 0));
        foreach (var item in items) ((Dictionary<string, int>)counts[item.Split])[listing.Classes[item.Label]]++;

        var fractions = new Dictionary<string, double>
        {
            [Splits.Train] = 1, [Splits.Validation] = spec.Split.Validation, [Splits.Test] = spec.Split.Test,
        };
        var emptySplits = counts.Where(s => fractions[s.Key] > 0)
            .SelectMany(s => s.Value.Where(c => c.Value == 0).Select(c => $"{s.Key} has no '{c.Key}'"))
            .ToList();
        if (emptySplits.Count > 0)
            throw new InvalidInputException($"{spec.Path}: too few images to split: {string.Join("; ", emptySplits)}");

        log.Information("Dataset {Path}: {Counts}{Predict}{Skipped}", spec.Path,
            string.Join("; ", counts.Select(s => $"{s.Key} {string.Join(", ", s.Value.Select(c => $"{c.Key}={c.Value}"))}")),
            spec.Predict is null ? "" : $"; predict {predict.Count}",
            problems.Count == 0 ? "" : $"; skipped {problems.Count}");
        return new SplitManifest(spec.Kind, listing.Root, listing.Classes, items, counts)
        {
            Predict = spec.Predict is null ? null : predict,
            PredictRoot = listing.PredictRoot,
            Skipped = [.. problems, .. unsupported],
        };
    }

    private static ImageChecks.Target Target(string displayRoot, string root, DatasetItem item) =>
        new(DatasetScanner.Display(displayRoot, item.File), Path.Combine(root, item.File));

    private static string DisplayOf(DatasetListing listing, DatasetItem item) => DatasetScanner.Display(listing.DisplayRoot, item.File);

    private static string EmptyClassHint(DatasetSpec spec, string c) => spec.Kind switch
    {
        DatasetKinds.Folder => $"no images in {DatasetScanner.Display(spec.Path, c)}",
        DatasetKinds.FilenamePattern => $"no file name matches {spec.Labels?.FirstOrDefault(l => l.Class == c)?.Pattern ?? "its pattern"}",
        DatasetKinds.Csv => $"no rows of {spec.Path} with this label",
        _ => "no images with this label",
    };
}
