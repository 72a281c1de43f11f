namespace Runner.Core.Planning.Kinds;

/// <summary>The task kinds every experiment plans, in planning order (the CLI's registry adds on-demand kinds after them).</summary>
internal static class BuiltInKinds
{
    public static IReadOnlyList<ITaskKind> All { get; } =
        [new DataKind(), new TrainKind(), new EvalKind(), new TimeKind(), new FeaturesKind(), new EnsembleKind(), new ReportKind()];
}
