using Runner.Core.Config;

namespace Runner.Torch.Training;

/// <summary>
/// The learning rate of each optimisation step (batch). Warm-up rises linearly over the first
/// <c>warmup_epochs</c> × steps per epoch, reaching the base rate at the end of warm-up:
/// lr·(step+1)/warmup. After it: <c>constant</c> keeps lr; <c>cosine</c> anneals from lr to min_lr over the
/// remaining steps (min_lr + (lr − min_lr)·(1 + cos π·t)/2, t = steps after warm-up / steps left); <c>step</c>
/// multiplies by gamma every step_size epochs, counted from the start of training.
/// </summary>
internal sealed class LrSchedule(ScheduleSpec spec, double baseLr, int stepsPerEpoch, int epochs)
{
    public int StepsPerEpoch { get; } = Math.Max(1, stepsPerEpoch);
    public int TotalSteps => StepsPerEpoch * epochs;
    public int WarmupSteps => Math.Min(spec.WarmupEpochs * StepsPerEpoch, TotalSteps);

    public double At(int step)
    {
        if (step < WarmupSteps) return baseLr * (step + 1) / WarmupSteps;
        switch (spec.Name)
        {
            case "constant":
                return baseLr;
            case "cosine":
            {
                var span = TotalSteps - WarmupSteps;
                var t = span <= 1 ? 0.0 : (double)(step - WarmupSteps) / (span - 1);
                return spec.MinLr + (baseLr - spec.MinLr) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, t)));
            }
            case "step":
                return baseLr * Math.Pow(spec.Gamma, step / StepsPerEpoch / spec.StepSize);
            default:
                throw new ArgumentException($"unknown schedule '{spec.Name}'");
        }
    }
}
