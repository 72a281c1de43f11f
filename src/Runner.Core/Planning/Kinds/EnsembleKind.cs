using Runner.Core.Config;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>ensemble</c>'s parameters: the group's settings that apply to its method (<see cref="Of"/> resets the others to
/// their defaults, so changing them does not refit).
/// </summary>
public sealed record EnsembleParams(
    string Method, IReadOnlyList<string> Members, string Inputs, IReadOnlyList<int> Hidden, int Epochs, double Lr, int BatchSize, int Folds, int Seed)
{
    public static EnsembleParams Of(EnsembleSpec e)
    {
        var trains = EnsembleSpec.Methods.Trains(e.Method);
        var folds = e.Method != EnsembleSpec.Methods.Mean;
        return new EnsembleParams(e.Method, e.Members, e.Inputs,
            e.Method == EnsembleSpec.Methods.Stacking ? e.Hidden : [],
            trains ? e.Epochs : EnsembleSpec.DefaultEpochs, trains ? e.Lr : EnsembleSpec.DefaultLr, trains ? e.BatchSize : EnsembleSpec.DefaultBatchSize,
            folds ? e.Folds : 0, folds ? e.Seed : 0);
    }
}

/// <summary>
/// One <c>ensemble:NAME</c> task per group (executor: <see cref="Ensembles.EnsembleExecutor"/>), depending on its members'
/// eval (and features) tasks only: changing one member re-runs the ensembles that contain it and nothing else.
/// </summary>
public sealed class EnsembleKind : IExperimentTaskKind
{
    public const string Name = "ensemble";

    public static TaskId Of(string ensemble) => new(Name, ensemble);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Cpu;

    public void Plan(PlanContext plan)
    {
        foreach (var e in plan.Spec.Ensembles)
        {
            var deps = e.Members.Select(m => plan[EvalKind.Of(m)]).ToList();
            if (e.Inputs == EnsembleSpec.InputKinds.Features) deps.AddRange(e.Members.Select(m => plan[FeaturesKind.Of(m)]));
            plan.Add(this, e.Name, EnsembleParams.Of(e), [plan[DataKind.Id], .. deps]);
        }
    }
}
