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
