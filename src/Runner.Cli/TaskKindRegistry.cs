using Runner.Core.Data;
using Runner.Core.Ensembles;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Reporting;
using Runner.Torch;
using Runner.Torch.Data;
using Runner.Torch.Ensembles;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using Runner.Torch.Weights;

namespace Runner.Cli;

/// <summary>
/// Every task kind runner knows, in planning order, each with the executor that runs it: adding a kind is one file (its
/// <see cref="ITaskKind"/> and <see cref="ITaskExecutor"/>) and one line here. See docs/architecture.md.
/// </summary>
public static class TaskKindRegistry
{
    /// <summary>A kind and how to build its executor for a run.</summary>
    public sealed record Entry(ITaskKind Kind, Func<TorchRuntime, Session, ITaskExecutor> Executor);

    public static IReadOnlyList<Entry> Entries { get; } =
    [
        new(new DataKind(), (_, _) => new DataExecutor(new ImageCheck())),
        new(new TrainKind(), (runtime, _) => new TrainExecutor(runtime, ArchRegistry.Default, WeightsStore.Default())),
        new(new EvalKind(), (runtime, _) => new EvalExecutor(runtime, ArchRegistry.Default)),
        new(new TimeKind(), (runtime, _) => new TimeExecutor(runtime, ArchRegistry.Default)),
        new(new FeaturesKind(), (runtime, _) => new FeaturesExecutor(runtime, ArchRegistry.Default)),
        new(new EnsembleKind(), (_, _) => new EnsembleExecutor()),
        new(new ReportKind(), (_, session) => new ReportExecutor(session.Templates)),
        new(new Runner.Torch.Export.ExportTask(), (_, _) => new Runner.Torch.Export.ExportTask()),
    ];

    public static IReadOnlyList<ITaskKind> Kinds { get; } = Entries.Select(e => e.Kind).ToList();

    public static IEnumerable<ITaskExecutor> Executors(TorchRuntime runtime, Session session) =>
        Entries.Select(e => e.Executor(runtime, session)).ToList();
}
