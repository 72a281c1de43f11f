using Runner.Core.Execution;
using Runner.Core.Planning;

namespace Runner.Tests.Fixtures;

internal sealed class SilentProgress : IRunProgress, ITaskProgress
{
    public List<TaskOutcome> Ended { get; } = [];
    public ITaskProgress Begin(PlannedTask task) => this;
    public void End(TaskOutcome outcome) => Ended.Add(outcome);
    public void Update(double done, double total, string detail) { }
}
