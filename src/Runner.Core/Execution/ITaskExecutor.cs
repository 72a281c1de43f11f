namespace Runner.Core.Execution;

/// <summary>Runs one kind of task, writing its artifacts into <see cref="TaskContext.OutputDir"/>.</summary>
public interface ITaskExecutor
{
    string Kind { get; }
    void Execute(TaskContext context);

}
