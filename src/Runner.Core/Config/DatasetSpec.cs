using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Runner.Core.Config;

public sealed record DatasetSpec(
    string Kind,
    /// <summary>A folder, or the CSV manifest for <c>csv</c>: as written in the file, or under the data root when it is not found relative to the working directory (<see cref="Util.RunnerHome.ResolveData"/>).</summary>
    [property: JsonIgnore] string Path,
    /// <summary>Classes to keep, in label order; null keeps all.</summary>
    IReadOnlyList<string>? Classes,
    /// <summary>Names for numeric labels (idx datasets).</summary>
    IReadOnlyList<string>? ClassNames,
    SplitSpec Split)
{
    /// <summary><c>filename-pattern</c>: one regex per class, matched against file names, in the order written (= class order).</summary>
    public IReadOnlyList<LabelPattern>? Labels { get; init; }

    /// <summary>An unlabeled folder whose images are listed (as the <c>predict</c> list) for submissions; null when absent.</summary>
    [JsonIgnore]
    public string? Predict { get; init; }

    /// <summary>Whether <see cref="Predict"/> is set: part of the data key, where the folder's location is not.</summary>
    public bool HasPredict => Predict is not null;

    /// <summary><see cref="BadImagePolicy.Fail"/> (default) or <see cref="BadImagePolicy.Skip"/>.</summary>
    public string OnBadImage { get; init; } = BadImagePolicy.Fail;

    /// <summary><c>csv</c>: rows may name files outside the CSV's folder (absolute paths, <c>..</c>); off by default.</summary>
    public bool AllowOutsidePaths { get; init; }
}

public sealed record LabelPattern(string Class, string Pattern)
{
    /// <summary>
    /// The compiled pattern, on .NET's non-backtracking engine: matching takes time linear in the file name whatever the
    /// pattern (<c>^(a+)+$</c> cannot hang a scan), at the price of backreferences, lookarounds and atomic groups.
    /// </summary>
    public Regex ToRegex() => new(Pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(2));
}

public static class DatasetKinds
{
    public const string Folder = "folder";
    public const string FilenamePattern = "filename-pattern";
    public const string Csv = "csv";
    public const string Idx = "idx";
    public static readonly string[] All = [Folder, FilenamePattern, Csv, Idx];
}

public static class BadImagePolicy
{
    public const string Fail = "fail";
    public const string Skip = "skip";
    public static readonly string[] All = [Fail, Skip];
}

public sealed record SplitSpec(double Validation, double Test, bool Stratify, int Seed);
