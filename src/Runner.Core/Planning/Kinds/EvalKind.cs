using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>The <c>eval:BACKBONE</c> task (executor: <c>Runner.Torch.Evaluation.EvalExecutor</c>).</summary>
public sealed class EvalKind : IBackboneTaskKind
{
    public const string Name = "eval";

    public static TaskId Of(string backbone) => new(Name, backbone);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Device;
    public int Revision => 2;
    public bool Reported => true;

    /// <summary>Validation and test images forward, twice with hflip TTA.</summary>
    public double? EstimateSeconds(EstimateInputs inputs, BackboneSpec backbone) =>
        (inputs.Sizes.Validation + inputs.Sizes.Test) * inputs.Probe.ForwardSecondsPerImage * (inputs.Spec.Evaluation.Tta == "hflip" ? 2 : 1);

    public void Plan(PlanContext plan, BackboneSpec backbone) =>
        plan.Add(this, backbone.Name, new EvalParams(backbone.Arch, backbone.ImageSize, backbone.BatchSize, plan.Spec.Evaluation.Tta),
            plan[TrainKind.Of(backbone.Name)], plan[DataKind.Id]);
}
