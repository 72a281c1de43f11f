using System.Security.Cryptography;
using System.Text;

namespace Runner.Core.Publishing;

/// <summary>One file of the report folder as it will be committed.</summary>
/// <param name="Path">Relative to the report folder, with '/' separators.</param>
public sealed record ReportFile(string Path, byte[] Bytes)
{
    /// <summary>Text files up to this size go inline in the tree; larger and binary ones are uploaded as base64 blobs.</summary>
    public const int InlineLimit = 256 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The id git gives this content: SHA-1 of <c>"blob {size}\0"</c> + bytes.</summary>
    public string GitSha { get; } = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {Bytes.Length}\0"), .. Bytes]));

    /// <summary>The content as text when it round-trips exactly through UTF-8 and is small; null otherwise.</summary>
    public string? InlineText { get; } = AsText(Bytes);

    private static string? AsText(byte[] bytes)
    {
        if (bytes.Length > InlineLimit || bytes.AsSpan().Contains((byte)0)) return null;
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

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
