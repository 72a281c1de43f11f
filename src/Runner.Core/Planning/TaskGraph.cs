namespace Runner.Core.Planning;

/// <summary>Tasks in a valid execution order (every task after its dependencies).</summary>
/// <param name="OnDemand">Tasks of on-demand kinds (<see cref="ITaskKind.OnDemand"/>): not part of a run unless selected by id (<c>--only</c>).</param>
public sealed record TaskGraph(string Experiment, IReadOnlyList<PlannedTask> Tasks)
{
    public IReadOnlyList<PlannedTask> OnDemand { get; init; } = [];

    public PlannedTask this[string id] => Tasks.First(t => t.Id == id);

    public IEnumerable<PlannedTask> DependentsOf(string id) => Tasks.Where(t => t.DependsOn.Contains(id));
}
