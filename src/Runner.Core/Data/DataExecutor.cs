using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Util;

namespace Runner.Core.Data;

/// <summary>The <c>data</c> task: lists the dataset, assigns splits, checks that every split has every class.</summary>
public sealed class DataExecutor : ITaskExecutor
{
    public string Kind => TaskKinds.Data;

    public void Execute(TaskContext context)
    {
        var spec = context.Spec.Dataset;
        var listing = DatasetScanner.List(spec);
        var items = Splitter.Assign(listing.Items, spec.Split);

        var counts = Splits.All.ToDictionary(
            s => s,
            s => (IReadOnlyDictionary<string, int>)listing.Classes.ToDictionary(c => c, c => 0));
        foreach (var item in items) ((Dictionary<string, int>)counts[item.Split])[listing.Classes[item.Label]]++;

        var fractions = new Dictionary<string, double>
        {
            [Splits.Train] = 1, [Splits.Validation] = spec.Split.Validation, [Splits.Test] = spec.Split.Test,
        };
        var empty = counts.Where(s => fractions[s.Key] > 0)
            .SelectMany(s => s.Value.Where(c => c.Value == 0).Select(c => $"{s.Key} has no '{c.Key}'"))
            .ToList();
        if (listing.Classes.Count < 2) throw new InvalidDataException($"{spec.Path}: need at least two classes, found {listing.Classes.Count}");
        if (empty.Count > 0) throw new InvalidDataException($"{spec.Path}: too few images to split: {string.Join("; ", empty)}");

        var manifest = new SplitManifest(spec.Kind, Path.GetFullPath(spec.Path), listing.Classes, items, counts);
        Json.Write(context.Output(SplitManifest.FileName), manifest);
        context.Log.Information("Dataset {Path}: {Counts}", spec.Path,
            string.Join("; ", counts.Select(s => $"{s.Key} {string.Join(", ", s.Value.Select(c => $"{c.Key}={c.Value}"))}")));
    }
}
