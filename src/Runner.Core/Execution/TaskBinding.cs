using Runner.Core.Planning;

namespace Runner.Core.Execution;

/// <summary>A kind and the executor of its tasks, paired by type (<see cref="Of{TKind}"/>): a kind can only get an executor written for it.</summary>
public sealed class TaskBinding
{
    internal TaskBinding(string kind, ITaskExecutor executor)
    {
        Kind = kind;
        Executor = executor;
    }

    public static TaskBinding Of<TKind>(TKind kind, ITaskExecutor<TKind> executor) where TKind : ITaskKind => new(kind.Name, executor);

    public string Kind { get; }
    public ITaskExecutor Executor { get; }
}
