namespace Runner.Core.Execution;

public sealed record RunResult(IReadOnlyList<TaskOutcome> Tasks)
{
    public bool Succeeded => Tasks.All(t => t.Outcome is Outcome.Cached or Outcome.Ran);

    /// <summary>Some task failed on invalid input (bad images, empty classes…): the run as a whole is invalid input (exit 2).</summary>
    public bool InvalidInput => Tasks.Any(t => t.InvalidInput);
}
