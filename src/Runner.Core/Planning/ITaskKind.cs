using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Execution;

namespace Runner.Core.Planning;

/// <summary>
/// One kind of task, described once: its name (the part of the id before ':'), what it occupies while it runs, its
/// revision (part of every key), whether it runs only on demand, what the report and shards make of it, its estimate,
/// and the tasks it adds to a plan, each with its typed parameters record (the key's params and all its executor reads).
/// Its executor is bound to it by type (<see cref="ITaskExecutor{TKind}"/>). The one list of kinds is the CLI's
/// <c>TaskKindRegistry</c>; everything that treats kinds differently asks these properties, never a kind's name.
/// </summary>
public interface ITaskKind
{
    string Name { get; }

    ResourceClass Resource { get; }

    /// <summary>
    /// Part of every key of this kind: bumped when the code that executes it gives other results for the same parameters,
    /// so that exactly this kind's tasks and their dependents run again while every other entry stays valid across
    /// runner upgrades. <c>KindRevisionTests</c> fails when that code changes until the revision is bumped or the change is
    /// recorded as leaving results unchanged.
    /// </summary>
    int Revision { get; }

    /// <summary>Planned but run only when selected by id (<c>runner run FILE --only 'export:*'</c>): see <see cref="TaskGraph.OnDemand"/>.</summary>
    bool OnDemand => false;

    /// <summary>The report reads this kind's results: its tasks are the report's dependencies.</summary>
    bool Reported => false;

    /// <summary>Gathers every other result (the report): it belongs to no shard's branch and runs where the shards are joined.</summary>
    bool Gathers => false;

    /// <summary>
    /// Predicted seconds of this kind's task on <paramref name="backbone"/> from its throughput probe; null when the
    /// kind has no such estimate.
    /// </summary>
    double? EstimateSeconds(EstimateInputs inputs, BackboneSpec backbone) => null;
}
