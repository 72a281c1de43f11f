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
using Runner.Torch.Export;
using Runner.Torch.Models;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using Runner.Torch.Weights;

namespace Runner.Cli;

/// <summary>
/// Every task kind runner knows, in planning order, each bound by type to the executor that runs it: the one list of
/// kinds. Adding a kind is one file (its <see cref="ITaskKind"/> and its <see cref="ITaskExecutor{TKind}"/>) and one line
/// here. See docs/architecture.md.
/// </summary>
public static class TaskKindRegistry
{
    /// <summary>A kind and how to build its executor for a run.</summary>
    public sealed record Entry(ITaskKind Kind, Func<TorchRuntime, Session, TaskBinding> Bind)
    {
        public static Entry Of<TKind>(TKind kind, Func<TorchRuntime, Session, ITaskExecutor<TKind>> executor) where TKind : ITaskKind =>
            new(kind, (runtime, session) => TaskBinding.Of(kind, executor(runtime, session)));
    }

    public static IReadOnlyList<Entry> Entries { get; } =
    [
        Entry.Of(new DataKind(), (_, _) => new DataExecutor(new ImageCheck())),
        Entry.Of(new TrainKind(), (runtime, _) => new TrainExecutor(runtime, ArchRegistry.Default, WeightsStore.Default())),
        Entry.Of(new EvalKind(), (runtime, _) => new EvalExecutor(runtime, ArchRegistry.Default)),
        Entry.Of(new TimeKind(), (runtime, _) => new TimeExecutor(runtime, ArchRegistry.Default)),
        Entry.Of(new FeaturesKind(), (runtime, _) => new FeaturesExecutor(runtime, ArchRegistry.Default)),
        Entry.Of(new EnsembleKind(), (_, _) => new EnsembleExecutor()),
        Entry.Of(new ReportKind(), (_, session) => new ReportExecutor(session.Templates)),
        Entry.Of(new ExportTask(), (_, _) => new ExportTask()),
    ];

    public static IReadOnlyList<ITaskKind> Kinds { get; } = Entries.Select(e => e.Kind).ToList();

    public static IReadOnlyList<TaskBinding> Bindings(TorchRuntime runtime, Session session) =>
        Entries.Select(e => e.Bind(runtime, session)).ToList();
}
