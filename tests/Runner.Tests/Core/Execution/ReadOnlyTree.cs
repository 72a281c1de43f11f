namespace Runner.Tests.Core.Execution;

/// <summary>Makes a folder tree unwritable: chmod for ordinary users; root ignores modes, so the immutable attribute for root.</summary>
internal static class ReadOnlyTree
{
    private static bool IsRoot => Environment.UserName == "root";

    public static void Apply(string dir) => Run(IsRoot ? "chattr" : "chmod", IsRoot ? "+i" : "a-w", dir);

    public static void Undo(string dir)
    {
        if (Directory.Exists(dir)) Run(IsRoot ? "chattr" : "chmod", IsRoot ? "-i" : "u+w", dir);
    }

    private static void Run(string tool, string change, string dir)
    {
        using var process = System.Diagnostics.Process.Start(tool, ["-R", change, dir]);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} -R {change} {dir} failed");
    }
}
