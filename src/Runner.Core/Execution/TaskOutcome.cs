using Runner.Core.Planning;

namespace Runner.Core.Execution;

public sealed record TaskOutcome(PlannedTask Task, Outcome Outcome, double Seconds, string? Error = null)
{
    /// <summary>Something the user should know about a task that succeeded, e.g. that its cache entry was corrupt and was re-executed.</summary>
    public string? Note { get; init; }

    /// <summary>A cached task whose entry came from the remote cache in this run.</summary>
    public bool FromRemote { get; init; }

    /// <summary>The task's own log file, when it was executed and per-task logs are on.</summary>
    public string? LogFile { get; init; }

    /// <summary>The task failed because of input the user must fix (an <see cref="InvalidInputException"/>), not a fault of runner's.</summary>
    public bool InvalidInput { get; init; }
}
