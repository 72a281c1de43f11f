using Runner.Core.Config;
using Runner.Core.Execution;

namespace Runner.Core.Planning;

/// <summary>
/// One kind of task, described once: its name (the part of the id before ':'), what it occupies while it runs, and the
/// tasks it adds to a plan, each with its typed parameters record (the key's params and all its executor reads). Its
/// executor (<see cref="ITaskExecutor"/> with the same <see cref="ITaskExecutor.Kind"/>) and result record live beside
/// it. The registry that lists the kinds is in the CLI (<c>TaskKindRegistry</c>); the built-in planning halves are
/// <see cref="Kinds.BuiltInKinds.All"/>.
/// </summary>
public interface ITaskKind
{
    string Name { get; }

    ResourceClass Resource { get; }

    /// <summary>Planned but run only when selected by id (<c>runner run FILE --only 'export:*'</c>): see <see cref="TaskGraph.OnDemand"/>.</summary>
    bool OnDemand => false;
}

/// <summary>A kind planned once per experiment (<c>data</c>, <c>ensemble:NAME</c>, <c>report</c>).</summary>
public interface IExperimentTaskKind : ITaskKind
{
    void Plan(PlanContext plan);
}

/// <summary>
/// A kind planned once per backbone. Consecutive per-backbone kinds of the registry are planned together, backbone by
/// backbone (train:a, eval:a, time:a, train:b, …), so with one device slot a backbone's eval follows its training.
/// </summary>
public interface IBackboneTaskKind : ITaskKind
{
    void Plan(PlanContext plan, BackboneSpec backbone);
}

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
            Planner.KeyOf(kind.Name, TaskParams.ToJson(parameters), dependsOn)) { Resource = kind.Resource };
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
