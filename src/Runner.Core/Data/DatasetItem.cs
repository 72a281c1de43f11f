namespace Runner.Core.Data;

public static class Splits
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";
    public static readonly string[] All = [Train, Validation, Test];
}

/// <summary>One labelled example. <see cref="Index"/> is set for images inside an idx file.</summary>
public sealed record DatasetItem(string Id, string File, int Label, string Split = "", int? Index = null);

/// <summary>The data task's artifact: every item with its label and split.</summary>
public sealed record SplitManifest(
    string Kind,
    string Root,
    IReadOnlyList<string> Classes,
    IReadOnlyList<DatasetItem> Items,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Counts)
{
    public const string FileName = "split.json";

    public IEnumerable<DatasetItem> In(string split) => Items.Where(i => i.Split == split);
}
