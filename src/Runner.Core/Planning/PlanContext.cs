using Runner.Core.Config;

namespace Runner.Core.Planning;

/// <summary>The plan being built: the experiment, the facts gathered outside it, and the tasks added so far.</summary>
public sealed class PlanContext(ExperimentSpec spec, PlanInputs inputs)
{
    private readonly List<PlannedTask> _tasks = [];
    private readonly List<PlannedTask> _onDemand = [];

    public ExperimentSpec Spec { get; } = spec;
    public PlanInputs Inputs { get; } = inputs;

    /// <summary>Adds a task of <paramref name="kind"/> about <paramref name="subject"/> (null: the experiment) and returns it.</summary>
    public PlannedTask Add(ITaskKind kind, string? subject, object parameters, params IEnumerable<PlannedTask> deps)
    {
        var dependsOn = deps.ToList();
        var task = new PlannedTask(new TaskId(kind.Name, subject), parameters, dependsOn.Select(d => (string)d.Id).ToList(),
            Planner.KeyOf(kind, TaskParams.ToJson(parameters), dependsOn)) { Descriptor = kind };
        (kind.OnDemand ? _onDemand : _tasks).Add(task);
        return task;
    }

    /// <summary>A task added earlier.</summary>
    public PlannedTask this[TaskId id] => _tasks.Concat(_onDemand).FirstOrDefault(t => t.Id == id)
        ?? throw new InvalidOperationException($"{id} is not planned (yet): check the order of the task kind registry");

    public PlannedTask? Find(TaskId id) => _tasks.FirstOrDefault(t => t.Id == id);

    /// <summary>The (not on-demand) tasks added so far, in order.</summary>
    public IReadOnlyList<PlannedTask> Tasks => _tasks;

    public IEnumerable<PlannedTask> OfKind(string kind) => _tasks.Where(t => t.Kind == kind);

    public TaskGraph ToGraph() => new(Spec.Name, _tasks.ToList()) { OnDemand = _onDemand.ToList() };
}
