namespace Runner.Core.Config;

public static class DatasetKinds
{
    public const string Folder = "folder";
    public const string FilenamePattern = "filename-pattern";
    public const string Csv = "csv";
    public const string Idx = "idx";
    public static readonly string[] All = [Folder, FilenamePattern, Csv, Idx];
}
