namespace Runner.Core.Config;

/// <summary>
/// One entry of <c>phases:</c> — a stretch of one training task with its own trainable policy, epoch count, optimizer
/// and schedule (each inheriting the backbone's settings it does not set). The schedule runs over the phase's own
/// epochs; warm-up and step decay count from the phase's first step.
/// </summary>
public sealed record PhaseSpec(string Trainable, int Epochs, OptimizerSpec Optimizer, ScheduleSpec Schedule);
