using Runner.Core.Cache;
using Runner.Core.Planning;
using Serilog;

namespace Runner.Core.Execution;

public enum Outcome { Cached, Ran, Failed, Skipped }

public sealed record TaskOutcome(PlannedTask Task, Outcome Outcome, double Seconds, string? Error = null)
{
    /// <summary>Something the user should know about a task that succeeded, e.g. that its cache entry was corrupt and was re-executed.</summary>
    public string? Note { get; init; }

    /// <summary>The task's own log file, when it was executed and per-task logs are on.</summary>
    public string? LogFile { get; init; }

    /// <summary>The task failed because of input the user must fix (an <see cref="InvalidInputException"/>), not a fault of runner's.</summary>
    public bool InvalidInput { get; init; }
}

public sealed record RunResult(IReadOnlyList<TaskOutcome> Tasks)
{
    public bool Succeeded => Tasks.All(t => t.Outcome is Outcome.Cached or Outcome.Ran);

    /// <summary>Some task failed on invalid input (bad images, empty classes…): the run as a whole is invalid input (exit 2).</summary>
    public bool InvalidInput => Tasks.Any(t => t.InvalidInput);
}

/// <summary>
/// Thrown by an executor when its input is unusable and only the user can fix it (e.g. truncated or unreadable
/// images, a class with no images): the task fails like any other and its dependents are skipped, but the run
/// reports invalid input (exit code 2) rather than a task failure.
/// </summary>
public sealed class InvalidInputException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>An exception whose message is <see cref="Format"/>'s listing.</summary>
    public static InvalidInputException Listing(string headline, IReadOnlyList<string> problems, string? footer = null, int show = 20) =>
        new(Format(headline, problems, footer, show));

    /// <summary>"HEADLINE:" then one indented line per problem, the first <paramref name="show"/> of them, then "… and N more (total T)".</summary>
    public static string Format(string headline, IReadOnlyList<string> problems, string? footer = null, int show = 20)
    {
        var lines = new List<string> { headline + ":" };
        lines.AddRange(problems.Take(show).Select(p => "  " + p));
        if (problems.Count > show) lines.Add($"  … and {problems.Count - show} more (total {problems.Count})");
        if (footer is not null) lines.Add(footer);
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>
/// Executes a task graph, reusing verified cached results: tasks start as soon as their dependencies are done and
/// their resource class has room (<see cref="ResourceClass"/>, <see cref="EngineOptions"/>). A failed task skips its
/// dependents; independent tasks still run (unless <see cref="EngineOptions.KeepGoing"/> is off), and everything
/// finished stays in the cache. Each key is executed under its cache lock, so concurrent runs on one cache share
/// the work instead of duplicating it.
/// </summary>
public sealed class Engine(CacheStore cache, IEnumerable<ITaskExecutor> executors, IRunProgress progress, ILogger log, EngineOptions? options = null)
{
    private readonly Dictionary<string, ITaskExecutor> _executors = executors.ToDictionary(e => e.Kind);

    public RunResult Run(TaskGraph graph, CancellationToken cancel = default) =>
        new Scheduler(cache, _executors, new SynchronizedProgress(progress), log, options ?? new EngineOptions(), graph, cancel).Run();
}
