using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// Pooled penultimate features of one backbone on the validation and test splits (executor:
/// <c>Runner.Torch.Ensembles.FeaturesExecutor</c>), planned only for backbones an <c>inputs: features</c> ensemble uses.
/// </summary>
public sealed class FeaturesKind : IExperimentTaskKind
{
    public const string Name = "features";

    public static TaskId Of(string backbone) => new(Name, backbone);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Device;
    public int Revision => 2;

    /// <summary>Every image forward.</summary>
    public double? EstimateSeconds(EstimateInputs inputs, BackboneSpec backbone) =>
        (inputs.Sizes.Train + inputs.Sizes.Validation + inputs.Sizes.Test) * inputs.Probe.ForwardSecondsPerImage;

    public void Plan(PlanContext plan)
    {
        var members = plan.Spec.Ensembles.Where(e => e.Inputs == EnsembleSpec.InputKinds.Features).SelectMany(e => e.Members).ToHashSet();
        foreach (var b in plan.Spec.Backbones.Where(b => members.Contains(b.Name)))
            plan.Add(this, b.Name, new FeaturesParams(b.Arch, b.ImageSize, b.BatchSize),
                plan[TrainKind.Of(b.Name)], plan[DataKind.Id]);
    }
}
