namespace Runner.Core.Config;

public sealed record DatasetSpec(
    string Kind,
    /// <summary>As written in the file (relative to the working directory).</summary>
    string Path,
    /// <summary>Classes to keep, in label order; null keeps all.</summary>
    IReadOnlyList<string>? Classes,
    /// <summary>Names for numeric labels (idx datasets).</summary>
    IReadOnlyList<string>? ClassNames,
    SplitSpec Split);

public sealed record SplitSpec(double Validation, double Test, bool Stratify, int Seed);
