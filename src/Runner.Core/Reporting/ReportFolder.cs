using System.Text;
using Runner.Core.Execution;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// Where a report may be written: a folder inside the working directory (symbolic links resolved) that is new, empty, or
/// was written by runner for the same experiment, as its <see cref="MarkerFile"/> says. Reports written before the marker
/// existed are recognised by their results.json.
/// </summary>
internal static class ReportFolder
{
    public const string MarkerFile = ".runner-report";
    private const int MaxComponentBytes = 255;

    /// <summary>Why <paramref name="experiment"/>'s report may not go to <paramref name="output"/>, or null when it may.</summary>
    public static string? Problem(string output, string experiment)
    {
        if (output.Trim().Length == 0) return $"the report folder is empty; give a folder inside the working directory, e.g. reports/{experiment}";
        if (output.Contains('\0')) return "the report folder contains a NUL character";
        if (output.Split('/', '\\').FirstOrDefault(part => Encoding.UTF8.GetByteCount(part) > MaxComponentBytes) is { } tooLong)
            return $"'{tooLong[..20]}…' is {Encoding.UTF8.GetByteCount(tooLong)} bytes long; file systems allow {MaxComponentBytes} per name";
        string full, cwd;
        try
        {
            cwd = RealPath.Of(Environment.CurrentDirectory);
            full = RealPath.Of(Path.Combine(cwd, output));
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return $"'{output}' cannot be resolved: {e.Message}";
        }
        if (full == cwd)
            return $"'{output}' is the working directory itself; reports go into a folder of their own (e.g. reports/{experiment})";
        if (!RealPath.IsWithin(full, cwd))
            return $"'{output}' resolves to {full}, outside the working directory {cwd}; reports are written inside it (e.g. reports/{experiment})";
        if (File.Exists(full)) return $"'{output}' is an existing file; give a folder";
        if (!Directory.Exists(full) || !Directory.EnumerateFileSystemEntries(full).Any()) return null;
        var marker = Path.Combine(full, MarkerFile);
        if (File.Exists(marker))
        {
            var owner = File.ReadAllText(marker).Trim();
            return owner == experiment ? null
                : $"'{output}' holds the report of experiment '{owner}' ({MarkerFile}); give '{experiment}' a folder of its own";
        }
        return File.Exists(Path.Combine(full, Results.ExperimentResults.FileName)) ? null
            : $"'{output}' is a folder runner did not write (it has files but no {MarkerFile}); choose another folder or empty it";
    }

    /// <summary>Checks <paramref name="output"/> again, creates it and marks it as <paramref name="experiment"/>'s report folder.</summary>
    public static void Claim(string output, string experiment)
    {
        if (Problem(output, experiment) is { } problem) throw new InvalidInputException($"report.output: {problem}");
        Directory.CreateDirectory(output);
        var marker = Path.Combine(output, MarkerFile);
        if (!File.Exists(marker)) AtomicFile.WriteAllText(marker, experiment + "\n");
    }
}
