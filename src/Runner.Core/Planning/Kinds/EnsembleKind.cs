using Runner.Core.Config;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

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
    public int Revision => 1;
    public bool Reported => true;

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
