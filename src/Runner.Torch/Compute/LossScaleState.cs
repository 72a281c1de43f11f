namespace Runner.Torch.Compute;

/// <summary>A <see cref="GradScaler"/>'s state between steps (kept in resume points).</summary>
internal sealed record LossScaleState(double Scale, int GrowthTracker, int SkippedSteps);
