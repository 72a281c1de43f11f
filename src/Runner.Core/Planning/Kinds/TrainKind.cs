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

    public void Plan(PlanContext plan, BackboneSpec backbone) =>
        plan.Add(this, backbone.Name, TrainParams.Of(backbone, plan.Inputs.WeightsDigests.GetValueOrDefault(backbone.Name, "none"), plan.Spec.Dataset),
            plan[DataKind.Id]);
}
