using Runner.Core.Planning.Kinds;
using Runner.Core.Estimation;

namespace Runner.Torch.Estimation;

/// <summary>A finished train task's estimate, and the refinement of its architecture's correction from the actual time.</summary>
internal static class TrainingEstimates
{
    /// <summary>
    /// What <c>plan --estimate</c> predicted for this task (the stored probe at the real split sizes, times the correction
    /// as it stood), or null when no probe was measured on this machine. With <paramref name="actualSeconds"/> (a task
    /// that ran whole, not resumed) the correction then learns actual ÷ uncorrected estimate.
    /// </summary>
    public static double? EstimateAndRefine(TorchRuntime runtime, TrainParams b, int trainImages, int validationImages, double? actualSeconds)
    {
        var store = EstimateStore.Default(runtime.Machine());
        if (store.ProbeFor(b.Arch, b.ImageSize, b.BatchSize) is not { } probe) return null;
        var raw = TaskEstimator.TrainSeconds(b.PhasesOrOne(), trainImages, validationImages, probe);
        var estimate = raw * store.CorrectionFor(b.Arch).Factor;
        if (actualSeconds is { } actual) store.Refine(b.Arch, actual / raw);
        return estimate;
    }
}
