namespace Runner.Core.Config;

public sealed record DatasetSpec(
    string Kind,
    /// <summary>A folder, or the CSV manifest for <c>csv</c>: as written in the file, or under the data root when it is not found relative to the working directory (<see cref="Util.RunnerHome.ResolveData"/>).</summary>
    string Path,
    /// <summary>Classes to keep, in label order; null keeps all.</summary>
    IReadOnlyList<string>? Classes,
    /// <summary>Names for numeric labels (idx datasets).</summary>
    IReadOnlyList<string>? ClassNames,
    SplitSpec Split)
{
    /// <summary><c>filename-pattern</c>: one regex per class, matched against file names, in the order written (= class order).</summary>
    public IReadOnlyList<LabelPattern>? Labels { get; init; }

    /// <summary>An unlabeled folder whose images are listed (as the <c>predict</c> list) for submissions; null when absent.</summary>
    public string? Predict { get; init; }

    /// <summary><see cref="BadImagePolicy.Fail"/> (default) or <see cref="BadImagePolicy.Skip"/>.</summary>
    public string OnBadImage { get; init; } = BadImagePolicy.Fail;

    /// <summary><c>csv</c>: rows may name files outside the CSV's folder (absolute paths, <c>..</c>); off by default.</summary>
    public bool AllowOutsidePaths { get; init; }
}
