using System.Diagnostics;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Planning;
using Serilog;

namespace Runner.Core.Execution;

public enum Outcome { Cached, Ran, Failed, Skipped }

public sealed record TaskOutcome(PlannedTask Task, Outcome Outcome, double Seconds, string? Error = null)
{
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
/// Executes a task graph in order, reusing cached results. A failed task skips its dependents;
/// independent tasks still run, and everything finished stays in the cache.
/// </summary>
public sealed class Engine(CacheStore cache, IEnumerable<ITaskExecutor> executors, IRunProgress progress, ILogger log)
{
    private readonly Dictionary<string, ITaskExecutor> _executors = executors.ToDictionary(e => e.Kind);

    public RunResult Run(TaskGraph graph, ExperimentSpec spec, CancellationToken cancel = default)
    {
        var entries = new Dictionary<string, CacheEntry>();
        var outcomes = new List<TaskOutcome>();
        var failed = new HashSet<string>();

        foreach (var task in graph.Tasks)
        {
            cancel.ThrowIfCancellationRequested();
            TaskOutcome outcome;
            var blockedBy = task.DependsOn.FirstOrDefault(failed.Contains);
            if (blockedBy is not null)
                outcome = new TaskOutcome(task, Outcome.Skipped, 0, $"skipped: {blockedBy} failed");
            else if (cache.Find(task.Key) is { } cached)
            {
                entries[task.Id] = cached;
                outcome = new TaskOutcome(task, Outcome.Cached, 0);
            }
            else
                outcome = Execute(task, spec, entries, cancel);

            if (outcome.Outcome is Outcome.Failed or Outcome.Skipped) failed.Add(task.Id);
            else
            {
                cache.RecordLatest(graph.Experiment, task.Id, task.Key);
                if (_executors[task.Kind] is IMaterializes m) m.Materialize(entries[task.Id], spec);
            }
            progress.End(outcome);
            outcomes.Add(outcome);
        }
        return new RunResult(outcomes);
    }

    private TaskOutcome Execute(PlannedTask task, ExperimentSpec spec, Dictionary<string, CacheEntry> entries, CancellationToken cancel)
    {
        var staging = cache.BeginStaging(task.Key);
        var taskLog = log.ForContext("Task", task.Id);
        var clock = Stopwatch.StartNew();
        try
        {
            taskLog.Information("Running {Task} ({Key})", task.Id, task.Key);
            var inputs = task.DependsOn.ToDictionary(d => d, d => entries[d]);
            _executors[task.Kind].Execute(new TaskContext(task, spec, staging, inputs, progress.Begin(task), taskLog, cancel)
            {
                ResumeDirectory = cache.ResumeDirectory(task.Key),
            });
            var manifest = new CacheManifest(task.Key, task.Id, task.Kind, task.Params,
                inputs.ToDictionary(i => i.Key, i => i.Value.Manifest.Key), Planner.RunnerVersion,
                DateTimeOffset.UtcNow, clock.Elapsed.TotalSeconds, []);
            entries[task.Id] = cache.Commit(staging, manifest);
            cache.DeleteResume(task.Key);
            taskLog.Information("Finished {Task} in {Seconds:F1} s", task.Id, clock.Elapsed.TotalSeconds);
            return new TaskOutcome(task, Outcome.Ran, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            cache.AbandonStaging(staging);
            taskLog.Error(e, "Task {Task} failed", task.Id);
            return new TaskOutcome(task, Outcome.Failed, clock.Elapsed.TotalSeconds, e.Message) { InvalidInput = e is InvalidInputException };
        }
        catch
        {
            cache.AbandonStaging(staging);
            throw;
        }
    }
}
