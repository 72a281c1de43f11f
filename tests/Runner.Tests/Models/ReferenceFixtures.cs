using System.Diagnostics;
using System.Security.Cryptography;

namespace Runner.Tests.Models;

/// <summary>
/// Reference state_dicts and logits made by Debian's torchvision 0.14 with tests/fixtures/make_reference.py
/// (installed by ./setup.sh). Generated once per version of the script into the temp folder: too large to commit.
/// </summary>
public sealed class ReferenceFixtures
{
    public ReferenceFixtures()
    {
        var script = Path.Combine(RepoRoot(), "tests", "fixtures", "make_reference.py");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script)))[..12];
        Directory = Path.Combine(Path.GetTempPath(), $"runner-reference-{hash}");
        if (File.Exists(Path.Combine(Directory, "complete"))) return;

        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Directory);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var error = python.StandardError.ReadToEndAsync();
        python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed (run ./setup.sh for python3-torch and python3-torchvision): {error.Result}");
        File.WriteAllText(Path.Combine(Directory, "complete"), hash);
    }

    public string Directory { get; }
    public string StateDict(string arch) => Path.Combine(Directory, arch + ".pth");
    public string InputsAndLogits(string arch) => Path.Combine(Directory, arch + ".io.pth");

    /// <summary>The repository checkout the tests were built from (the folder holding Runner.sln).</summary>
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Runner.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Runner.sln not found above " + AppContext.BaseDirectory);
    }
}
