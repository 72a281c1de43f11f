namespace Runner.Core.Planning.Kinds;

/// <summary><c>data</c>'s parameters: the dataset's settings (not its folders) and the digest of its files' names and contents.</summary>
internal sealed record DataParams(DatasetSettings Dataset, DataFiles Files);
