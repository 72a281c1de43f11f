using System.Text.Json.Nodes;
using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>The <c>time:BACKBONE</c> task (executor: <c>Runner.Torch.Timing.TimeExecutor</c>); runs alone.</summary>
public sealed class TimeKind : IBackboneTaskKind
{
    public const string Name = "time";

    public static TaskId Of(string backbone) => new(Name, backbone);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Exclusive;
    public int Revision => 3;
    public bool Reported => true;

    /// <summary>The timed calls: (warm-up + iterations) × batch size images forward, for every batch size.</summary>
    public double? EstimateSeconds(EstimateInputs inputs, BackboneSpec backbone)
    {
        var t = inputs.Spec.Timing;
        return t.BatchSizes.Sum(n => (t.Warmup + t.Iterations) * n * inputs.Probe.ForwardSecondsPerImage);
    }

    /// <summary>Repeats of one configuration differ only in the seed, which timing does not depend on: the first seed times them all.</summary>
    public void Plan(PlanContext plan, BackboneSpec backbone)
    {
        if (backbone.TimedBy() != backbone.Name) return;
        var t = plan.Spec.Timing;
        plan.Add(this, backbone.Name, new TimeParams(backbone.Arch, backbone.ImageSize, backbone.Seed, t.Warmup, t.Iterations, t.BatchSizes, (JsonObject)plan.Inputs.Hardware.DeepClone())
            {
                Precision = backbone.Precision, ChannelsLast = backbone.ChannelsLast, Throughput = t.Throughput,
            },
            plan[TrainKind.Of(backbone.Name)]);
    }
}
