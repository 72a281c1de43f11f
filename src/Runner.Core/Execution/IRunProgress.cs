using Runner.Core.Planning;

namespace Runner.Core.Execution;

public interface IRunProgress
{
    ITaskProgress Begin(PlannedTask task);
    void End(TaskOutcome outcome);
}
