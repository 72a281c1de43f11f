namespace Runner.Core.Config;

internal sealed record ResolvedTraining(
    OptimizerSpec Optimizer, ScheduleSpec Schedule, double LabelSmoothing, double? GradClip, EarlyStoppingSpec? EarlyStopping);
