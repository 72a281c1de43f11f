using System.Diagnostics;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Workflow;

/// <summary>Runs the experiments workflow's scripts (<c>.github/scripts</c>) and git the way a GitHub Actions job does.</summary>
internal static class WorkflowScripts
{
    public static RunnerProcess.Result Ok(this RunnerProcess.Result result) =>
        result.ExitCode == 0 ? result : throw new Xunit.Sdk.XunitException($"exit {result.ExitCode}\n{result.Output}\n{result.Error}");

    /// <summary>Runs <c>.github/scripts/NAME</c> in <paramref name="folder"/> with runner (the built one) and <paramref name="environment"/>.</summary>
    public static RunnerProcess.Result Script(string folder, string name, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var runner = $"dotnet {Path.Combine(AppContext.BaseDirectory, "runner.dll")}";
        return Run(folder, "bash", [Path.Combine(ReferenceFixtures.RepoRoot(), ".github", "scripts", name), .. args],
            new Dictionary<string, string>(environment) { ["RUNNER_CLI"] = runner, ["CI"] = "true" });
    }

    public static string Git(string folder, params string[] args) => Run(folder, "git", args, new Dictionary<string, string>()).Ok().Output.Trim();

    private static RunnerProcess.Result Run(string folder, string program, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (k, v) in new[] { ("GIT_AUTHOR_NAME", "dev"), ("GIT_AUTHOR_EMAIL", "dev@example.com"), ("GIT_COMMITTER_NAME", "dev"), ("GIT_COMMITTER_EMAIL", "dev@example.com") })
            start.Environment[k] = v;
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return RunnerProcess.Execute(start);
    }
}
