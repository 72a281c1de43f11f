using Runner.Core.Planning;

namespace Runner.Core.Execution;

/// <summary>Serialises calls into a progress display that was written for one task at a time.</summary>
internal sealed class SynchronizedProgress(IRunProgress inner) : IRunProgress
{
    private readonly Lock _gate = new();

    public ITaskProgress Begin(PlannedTask task)
    {
        lock (_gate) return new Task(inner.Begin(task), _gate);
    }

    public void End(TaskOutcome outcome)
    {
        lock (_gate) inner.End(outcome);
    }

    private sealed class Task(ITaskProgress inner, Lock gate) : ITaskProgress
    {
        public void Update(double done, double total, string detail)
        {
            lock (gate) inner.Update(done, total, detail);
        }
    }
}
