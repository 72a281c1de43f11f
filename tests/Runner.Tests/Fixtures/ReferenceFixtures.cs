using System.Diagnostics;
using System.Security.Cryptography;

namespace Runner.Tests.Fixtures;

/// <summary>
/// Reference state_dicts and logits made by Debian's PyTorch 1.13 / torchvision 0.14 with tests/fixtures/make_reference.py
/// (installed by ./setup.sh): one per registered architecture, in the formats real releases come in (zip or legacy
/// torch.save, safetensors; see the script's ARCHS). Generated once per version of the script into the temp folder
/// (about 11 GB, a minute of CPU with OpenBLAS): too large to commit.
/// </summary>
public sealed class ReferenceFixtures
{
    public ReferenceFixtures()
    {
        var script = Path.Combine(RepoRoot(), "tests", "fixtures", "make_reference.py");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script)))[..12];
        Directory = Path.Combine(Path.GetTempPath(), $"runner-reference-{hash}");
        if (File.Exists(Path.Combine(Directory, "complete"))) return;

        RunPython(script, Directory);
        File.WriteAllText(Path.Combine(Directory, "complete"), hash);
    }

    public string Directory { get; }

    /// <summary>"zip", "legacy" (torch.save formats) or "safetensors": how <see cref="StateDict"/> was written.</summary>
    public string Format(string arch) => File.ReadAllText(Path.Combine(Directory, arch + ".format"));

    public string StateDict(string arch) => Path.Combine(Directory, arch + (Format(arch) == "safetensors" ? ".safetensors" : ".pth"));
    public string InputsAndLogits(string arch) => Path.Combine(Directory, arch + ".io.pth");

    /// <summary>Runs Debian's /usr/bin/python3 (with python3-torch) and returns its output; throws with its error output when it fails.</summary>
    internal static string RunPython(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var error = python.StandardError.ReadToEndAsync();
        var output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0)
            throw new InvalidOperationException($"python3 {string.Join(' ', arguments.Take(1))} failed (run ./setup.sh for python3-torch and python3-torchvision): {error.Result}");
        return output;
    }

    /// <summary>The repository checkout the tests were built from (the folder holding Runner.sln).</summary>
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Runner.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Runner.sln not found above " + AppContext.BaseDirectory);
    }
}
