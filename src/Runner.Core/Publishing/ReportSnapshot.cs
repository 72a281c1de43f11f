namespace Runner.Core.Publishing;

/// <summary>The report output folder of an experiment, read once: what <c>publish</c> commits, at which path in the repository.</summary>
/// <param name="Folder">The folder's path in the repository, with '/' separators (e.g. <c>reports/quickstart</c>).</param>
public sealed record ReportSnapshot(string Folder, IReadOnlyList<ReportFile> Files)
{
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
        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)) // an atomic write in flight
            .Select(f => new ReportFile(Path.GetRelativePath(full, f).Replace('\\', '/'), File.ReadAllBytes(f)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw PublishException.Usage($"report output '{outputFolder}' is empty: nothing to publish");
        return new ReportSnapshot(relative, files);
    }
}
