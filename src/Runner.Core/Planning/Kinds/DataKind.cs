using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>The <c>data</c> task (executor: <see cref="Data.DataExecutor"/>).</summary>
public sealed class DataKind : IExperimentTaskKind
{
    public const string Name = "data";
    public static readonly TaskId Id = new(Name);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Cpu;
    public int Revision => 1;
    public bool Reported => true;

    public void Plan(PlanContext plan) =>
        plan.Add(this, null,
            new DataParams(DatasetSettings.Of(plan.Spec.Dataset), new DataFiles(plan.Inputs.DatasetFiles, plan.Inputs.DatasetDigest)));
}
