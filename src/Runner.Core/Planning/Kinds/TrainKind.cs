using Runner.Core.Config;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>The <c>train:BACKBONE</c> task (executor: <c>Runner.Torch.Training.TrainExecutor</c>).</summary>
public sealed class TrainKind : IBackboneTaskKind
{
    public const string Name = "train";

    public static TaskId Of(string backbone) => new(Name, backbone);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Device;

    public void Plan(PlanContext plan, BackboneSpec b) =>
        plan.Add(this, b.Name, TrainParams.Of(b, plan.Inputs.WeightsDigests.GetValueOrDefault(b.Name, "none"), plan.Spec.Dataset),
            plan[DataKind.Id]);
}
