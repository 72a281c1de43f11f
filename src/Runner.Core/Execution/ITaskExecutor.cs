namespace Runner.Core.Execution;

/// <summary>Runs tasks, writing their artifacts into <see cref="TaskContext.OutputDir"/>.</summary>
public interface ITaskExecutor
{
    void Execute(TaskContext context);
}

/// <summary>
/// An executor of the tasks of <typeparamref name="TKind"/>: the type that binds it to its kind (<see
/// cref="TaskBinding.Of{TKind}"/>).
/// </summary>
public interface ITaskExecutor<TKind> : ITaskExecutor where TKind : Planning.ITaskKind;
