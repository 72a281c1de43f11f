using System.Diagnostics;

namespace Runner.Tests.Fixtures;

/// <summary>
/// Runs the real <c>runner</c> executable (built next to the tests) as a user would, in a working folder. Its runner
/// home is <c>.runner</c> of that folder unless <c>RUNNER_HOME</c> is given, so each test's cache, images and memo stay
/// in its own temporary folder.
/// </summary>
public static class RunnerProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Run(string, string[])"/>, with extra environment variables (e.g. test hooks).</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
        => Execute(StartInfo(workingDirectory, environment, args));

    /// <summary>Runs any prepared process to its end (at most 5 minutes) and collects what it printed.</summary>
    public static Result Execute(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return new Result(process.ExitCode, output, error.Result);
    }

    /// <summary>How <see cref="Run(string, string[])"/> starts runner, for tests that talk to the process while it runs.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
            { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "runner.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CI"] = "true";
        start.Environment["RUNNER_HOME"] = Path.Combine(workingDirectory, ".runner");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }
}
