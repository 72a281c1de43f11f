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
