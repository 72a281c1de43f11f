using System.Diagnostics;

namespace Runner.NativeCompat;

/// <summary>Compiles native/glibcxx_compat.cpp into a shared library with g++.</summary>
internal static class ShimCompiler
{
    /// <summary>True if <paramref name="output"/> is missing or older than <paramref name="source"/>.</summary>
    public static bool IsStale(string source, string output) =>
        !File.Exists(output) || File.GetLastWriteTimeUtc(output) < File.GetLastWriteTimeUtc(source);

    /// <summary>Runs <c>g++ -shared -fPIC -O2 -o output source</c>; throws with g++'s output on failure.</summary>
    public static void Compile(string source, string output)
    {
        if (!File.Exists(source))
            throw new FileNotFoundException($"Shim source not found: {source}", source);
        var compiler = FindOnPath("g++") ?? throw new InvalidOperationException(
            "g++ not found, but it is needed to build libglibcxx_compat.so (this system's libstdc++ lacks GLIBCXX_3.4.32, " +
            "which TorchSharp needs). Install it: sudo apt-get install g++");

        // Compile next to the target and rename, so a failed or interrupted build leaves no half-written library.
        string temp = $"{output}.{Environment.ProcessId}.tmp";
        var start = new ProcessStartInfo(compiler)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-shared", "-fPIC", "-O2", "-o", temp, source })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {compiler}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"g++ failed (exit {process.ExitCode}) compiling {source}: {(stderr + stdout.Result).Trim()}");
            File.Move(temp, output, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
