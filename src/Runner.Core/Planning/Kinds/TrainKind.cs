using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>The <c>train:BACKBONE</c> task (executor: <c>Runner.Torch.Training.TrainExecutor</c>).</summary>
public sealed class TrainKind : IBackboneTaskKind
{
    public const string Name = "train";

    public static TaskId Of(string backbone) => new(Name, backbone);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Device;
    public int Revision => 2;
    public bool Reported => true;

    /// <summary>For each phase, epochs × (train images × seconds per train image + validation images × seconds per forward image), times the correction.</summary>
    public double? EstimateSeconds(EstimateInputs inputs, BackboneSpec backbone) =>
        TaskEstimator.TrainSeconds(backbone.PhasesOrOne(), inputs.Sizes.Train, inputs.Sizes.Validation, inputs.Probe) * inputs.Correction.Factor;

    public void Plan(PlanContext plan, BackboneSpec backbone) =>
        plan.Add(this, backbone.Name, TrainParams.Of(backbone, plan.Inputs.WeightsDigests.GetValueOrDefault(backbone.Name, "none")),
            plan[DataKind.Id]);
}
