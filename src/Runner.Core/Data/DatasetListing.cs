namespace Runner.Core.Data;

/// <summary>
/// What <see cref="DatasetScanner.List"/> found: classes in label order and the labelled items (files relative to
/// <see cref="Root"/>), the unlabeled <see cref="Predict"/> items (relative to <see cref="PredictRoot"/>), and the files
/// that could not be labelled or found (<see cref="Problems"/>; images are not opened here).
/// </summary>
public sealed record DatasetListing(IReadOnlyList<string> Classes, IReadOnlyList<DatasetItem> Items)
{
    /// <summary>Absolute folder that item files are relative to.</summary>
    public string Root { get; init; } = "";

    /// <summary>How the user would write <see cref="Root"/> (the dataset path as given, or the CSV's folder).</summary>
    public string DisplayRoot { get; init; } = "";

    public IReadOnlyList<DatasetItem> Predict { get; init; } = [];
    public string? PredictRoot { get; init; }
    public IReadOnlyList<FileProblem> Problems { get; init; } = [];

    /// <summary>Images in formats runner does not read (GIF, TIFF), as the user would write their paths; left out, and named.</summary>
    public IReadOnlyList<string> Unsupported { get; init; } = [];
}
