namespace Runner.Core.Data;

/// <summary>The data task's artifact: every item with its label and split.</summary>
public sealed record SplitManifest(
    string Kind,
    string Root,
    IReadOnlyList<string> Classes,
    IReadOnlyList<DatasetItem> Items,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Counts)
{
    public const string FileName = "split.json";

    /// <summary>The manifest a <c>data</c> task wrote into its cache entry.</summary>
    public static SplitManifest Read(Runner.Core.Cache.CacheEntry data) => Runner.Core.Util.Json.Read<SplitManifest>(data.PathOf(FileName));

    /// <summary>
    /// The data input of a running task, its folders taken from the dataset as found on this machine (the task environment): the
    /// data key covers names and contents, not locations, so the entry may come from another checkout or machine.
    /// </summary>
    public static SplitManifest Of(Runner.Core.Execution.TaskContext context) =>
        Read(context.Input(Runner.Core.Planning.Kinds.DataKind.Id)) with
        {
            Root = DatasetScanner.RootOf(context.Environment.Dataset),
            PredictRoot = context.Environment.Dataset.Predict is null ? null : Path.GetFullPath(context.Environment.Dataset.Predict),
        };

    /// <summary>
    /// <c>dataset.predict</c>'s images (id = file name without extension, natural order; label −1, split "predict"),
    /// files relative to <see cref="PredictRoot"/>. Empty when the dataset has no predict folder.
    /// </summary>
    public IReadOnlyList<DatasetItem>? Predict { get; init; }

    /// <summary>Absolute folder of the <see cref="Predict"/> files; null without a predict folder.</summary>
    public string? PredictRoot { get; init; }

    /// <summary>Files left out under <c>on_bad_image: skip</c>, with what is wrong with each (null in manifests written before this existed).</summary>
    public IReadOnlyList<FileProblem>? Skipped { get; init; }

    public IEnumerable<DatasetItem> In(string split) => Items.Where(i => i.Split == split);
}
