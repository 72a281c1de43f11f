namespace Runner.Core.Publishing;

/// <summary>The report output folder of an experiment, read once: what <c>publish</c> commits, at which path in the repository.</summary>
/// <param name="Folder">The folder's path in the repository, with '/' separators (e.g. <c>reports/quickstart</c>).</param>
public sealed record ReportSnapshot(string Folder, IReadOnlyList<ReportFile> Files)
{
    /// <summary>GitHub refuses files larger than this (100 MB); publish refuses them first, before reading them.</summary>
    public const long MaxFileBytes = 100L * 1000 * 1000;

    /// <summary>
    /// Reads the regular files of the report folder. A symbolic link anywhere in it (to a file or a folder, inside or
    /// outside the repository) is refused rather than followed, so publish never uploads what lies outside the folder,
    /// and so is a file larger than <see cref="MaxFileBytes"/>.
    /// </summary>
    /// <param name="outputFolder">The experiment's <c>report.output</c>, as given (relative to the working directory).</param>
    /// <param name="repositoryRoot">The checkout's top folder; the report folder must lie strictly inside it.</param>
    public static ReportSnapshot Read(string outputFolder, string repositoryRoot)
    {
        var full = Path.GetFullPath(outputFolder);
        var relative = Path.GetRelativePath(Path.GetFullPath(repositoryRoot), full).Replace('\\', '/');
        if (relative == "." || relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative))
            throw PublishException.Usage($"report output '{outputFolder}' must be a folder inside the repository ({repositoryRoot})");
        if (!Directory.Exists(full))
            throw PublishException.Usage($"report output '{outputFolder}' does not exist: run 'runner run' or 'runner report' first");
        if (new DirectoryInfo(full).LinkTarget is { } folderTarget)
            throw PublishException.Usage(
                $"report output '{outputFolder}' is a symbolic link (to {folderTarget}); publish only uploads a real folder");
        var files = new List<ReportFile>();
        Collect(new DirectoryInfo(full), full, outputFolder, files);
        if (files.Count == 0) throw PublishException.Usage($"report output '{outputFolder}' is empty: nothing to publish");
        return new ReportSnapshot(relative, files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList());
    }

    private static void Collect(DirectoryInfo folder, string root, string outputFolder, List<ReportFile> files)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            var path = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (entry.LinkTarget is { } target)
                throw PublishException.Usage($"report output '{outputFolder}': {path} is a symbolic link (to {target}); publish uploads " +
                    "only regular files inside the report folder, never what a link points to: remove the link, or copy the file in");
            if (entry is DirectoryInfo sub)
                Collect(sub, root, outputFolder, files);
            else if (entry.Name.EndsWith(".tmp", StringComparison.Ordinal))
                continue; // an atomic write in flight
            else if (((FileInfo)entry).Length is var bytes and > MaxFileBytes)
                throw PublishException.Usage($"report output '{outputFolder}': {path} is {bytes:N0} bytes; GitHub refuses files over " +
                    $"{MaxFileBytes / 1_000_000} MB: leave it out of the report folder");
            else
                files.Add(new ReportFile(path, File.ReadAllBytes(entry.FullName)));
        }
    }
}
