using Runner.Core.Config;
using Runner.Core.Planning;

namespace Runner.Core.Estimation;

/// <summary>
/// Predicts task times from throughput probes. A train task: for each phase, epochs × (train images × seconds per
/// train image + validation images × seconds per forward image), a <c>head</c> phase costing a forward pass per train
/// image (the frozen backbone needs no backward), all times the architecture's <see cref="Correction"/>. Early stopping
/// is assumed not to stop (an upper bound). Eval: validation and test images forward (twice with hflip TTA); time: the
/// timed calls; features: every image forward. Cached tasks cost 0.
/// </summary>
public static class TaskEstimator
{
    public static double TrainSeconds(IReadOnlyList<PhaseSpec> phases, int trainImages, int validationImages, Probe probe) =>
        phases.Sum(p => p.Epochs * (trainImages * (p.Trainable == "head" ? probe.ForwardSecondsPerImage : probe.TrainSecondsPerImage)
                                     + validationImages * probe.ForwardSecondsPerImage));

    public static IReadOnlyList<TaskEstimate> Estimate(ExperimentSpec spec, IReadOnlyList<PlanEntry> plan, SplitSizes sizes,
        Func<BackboneSpec, Probe?> probeOf, Func<string, Correction> correctionOf)
    {
        var backbones = spec.Backbones.ToDictionary(b => b.Name);
        return plan.Select(entry =>
        {
            var task = entry.Task;
            var cached = entry.State == TaskState.Cached;
            var b = task.Subject is { } name ? backbones.GetValueOrDefault(name) : null;
            var probe = b is null ? null : probeOf(b);
            if (probe is null || b is null) return new TaskEstimate(task.Id, task.Kind, cached, cached ? 0 : null, null);
            var seconds = task.Descriptor.EstimateSeconds(new EstimateInputs(spec, sizes, probe, correctionOf(b.Arch)), b) ?? double.NaN;
            return double.IsNaN(seconds)
                ? new TaskEstimate(task.Id, task.Kind, cached, cached ? 0 : null, null)
                : new TaskEstimate(task.Id, task.Kind, cached, cached ? 0 : seconds, cached ? null : probe.PeakMemoryMb) { Machine = probe.Machine };
        }).ToList();
    }
}
