using Runner.Core.Execution;

namespace Runner.Tests.Fixtures;

/// <summary>An executor for one task kind that writes a small file; can be told to fail for some task ids.</summary>
internal class FakeExecutor(string kind) : ITaskExecutor
{
    public string Kind { get; } = kind;
    public TaskBinding Binding => new(Kind, this);
    public List<string> Calls { get; } = [];
    public HashSet<string> FailFor { get; } = [];
    public List<(string Task, IReadOnlyList<string> Inputs)> SeenInputs { get; } = [];

    public void Execute(TaskContext context)
    {
        lock (Calls) Calls.Add(context.Task.Id);
        SeenInputs.Add((context.Task.Id, context.Inputs.Keys.Order(StringComparer.Ordinal).ToList()));
        foreach (var (id, entry) in context.Inputs)
            Assert.True(File.Exists(entry.PathOf("out.txt")), $"{context.Task.Id}: input {id} has no artifact");
        File.WriteAllText(context.Output("out.txt"), context.Task.Id);
        if (FailFor.Contains(context.Task.Id)) throw new InvalidOperationException($"boom in {context.Task.Id}");
    }
}
