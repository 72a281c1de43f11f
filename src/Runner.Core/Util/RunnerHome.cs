namespace Runner.Core.Util;

/// <summary>
/// Where runner keeps state that must outlive a checkout (a CI workspace is wiped before every job): the task cache,
/// decoded images, pretrained weights, the file-digest memo and, by default, datasets. <c>$RUNNER_HOME</c> (or
/// <c>--home</c>, which sets it), else <c>~/.cache/runner</c>.
/// </summary>
public static class RunnerHome
{
    public const string Variable = "RUNNER_HOME";
    public const string DataVariable = "RUNNER_DATA";

    /// <summary><c>$RUNNER_HOME</c>, or <c>~/.cache/runner</c> when unset or empty.</summary>
    public static string Root(Func<string, string?>? environment = null)
    {
        var home = (environment ?? Environment.GetEnvironmentVariable)(Variable);
        return string.IsNullOrWhiteSpace(home)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "runner")
            : Path.GetFullPath(home);
    }

    /// <summary>
    /// Why the runner home cannot be used at all, or null: it must be a folder (or not exist yet), not a file, and not a
    /// file system's root (whose sub-folders runner would then fill and clean up).
    /// </summary>
    public static string? Problem(Func<string, string?>? environment = null)
    {
        var root = Root(environment);
        if (Path.GetPathRoot(root) == root)
            return $"{Describe(environment)} is the file system's root; give runner a folder of its own (default ~/.cache/runner)";
        if (File.Exists(root)) return $"{Describe(environment)} is a file, not a folder";
        return null;
    }

    /// <summary>
    /// Why runner cannot write in its home (read-only, no permission, a parent that is a file), or null when it can. Tried
    /// in the home, or in the nearest folder above it while it does not exist yet: nothing is created.
    /// </summary>
    public static string? WriteProblem(Func<string, string?>? environment = null)
    {
        var root = Root(environment);
        var existing = root;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            if (File.Exists(existing)) return $"{Describe(environment)} cannot be created: {existing} is a file";
            existing = parent;
        }
        var probe = Path.Combine(existing, $".runner-write-test.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{Describe(environment)} cannot be written ({e.Message}); point {Variable} (or --home) at a writable folder";
        }
    }

    private static string Describe(Func<string, string?>? environment) =>
        string.IsNullOrWhiteSpace((environment ?? Environment.GetEnvironmentVariable)(Variable))
            ? $"the runner home {Root(environment)}"
            : $"the runner home {Root(environment)} ({Variable} or --home)";

    public static string Cache => Path.Combine(Root(), "cache");
    public static string Images => Path.Combine(Root(), "images");
    public static string Weights(Func<string, string?>? environment = null) => Path.Combine(Root(environment), "weights");
    public static string Memo => Path.Combine(Root(), "memo");

    /// <summary><c>$RUNNER_DATA</c>, else the runner home: the folder that relative dataset paths fall back to.</summary>
    public static string DataRoot(Func<string, string?>? environment = null)
    {
        var data = (environment ?? Environment.GetEnvironmentVariable)(DataVariable);
        return string.IsNullOrWhiteSpace(data) ? Root(environment) : Path.GetFullPath(data);
    }

    /// <summary>
    /// Where a dataset path from an experiment file is: as written when it is absolute or exists relative to the
    /// working directory, else under <see cref="DataRoot"/> when it exists there, else as written (the caller reports it missing).
    /// </summary>
    public static string ResolveData(string path, Func<string, string?>? environment = null)
    {
        if (Path.IsPathRooted(path) || Path.Exists(path)) return path;
        var fallback = Path.Combine(DataRoot(environment), path);
        return Path.Exists(fallback) ? fallback : path;
    }
}
