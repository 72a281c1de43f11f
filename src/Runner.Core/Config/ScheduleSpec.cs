namespace Runner.Core.Config;

/// <summary>
/// <c>schedule:</c> — the learning rate per step (batch): linear warm-up over <see cref="WarmupEpochs"/>, then
/// constant, cosine down to <see cref="MinLr"/>, or × <see cref="Gamma"/> every <see cref="StepSize"/> epochs.
/// </summary>
public sealed record ScheduleSpec(string Name = "constant", int WarmupEpochs = 0, int StepSize = 1, double Gamma = 0.1, double MinLr = 0)
{
    public static readonly ScheduleSpec Constant = new();
}
