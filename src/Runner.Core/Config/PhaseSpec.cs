namespace Runner.Core.Config;

/// <summary>
/// One entry of <c>phases:</c> — a stretch of one training task with its own trainable policy, epoch count, optimizer
/// and schedule (each inheriting the backbone's settings it does not set). The schedule runs over the phase's own
/// epochs; warm-up and step decay count from the phase's first step.
/// </summary>
public sealed record PhaseSpec(string Trainable, int Epochs, OptimizerSpec Optimizer, ScheduleSpec Schedule);

public static class TrainingPhases
{
    /// <summary>The backbone's phases; without <c>phases:</c>, one phase made of its top-level settings.</summary>
    public static IReadOnlyList<PhaseSpec> PhasesOrOne(this BackboneSpec b) =>
        b.Phases ?? [new PhaseSpec(b.Trainable, b.Epochs, b.Optimizer, b.Schedule)];
}
