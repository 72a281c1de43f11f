using System.ComponentModel;
using System.Diagnostics;

namespace Runner.Core.Publishing;

/// <summary>Read-only questions to the git checkout runner runs in; null when git or the checkout is absent.</summary>
internal static class LocalGit
{
    public static string? TopLevel() => Output("rev-parse", "--show-toplevel");
    public static string? HeadCommit() => Output("rev-parse", "HEAD");
    /// <summary>HEAD's first 12 hex digits, as reports show it.</summary>
    public static string? ShortHeadCommit() => Output("rev-parse", "--short=12", "HEAD");
    public static string? CurrentBranch() => Output("symbolic-ref", "--short", "-q", "HEAD");

    private static string? Output(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var git = Process.Start(start);
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
