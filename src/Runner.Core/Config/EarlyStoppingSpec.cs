namespace Runner.Core.Config;

/// <summary><c>early_stopping:</c> — stop after <see cref="Patience"/> epochs without the validation log loss improving by more than <see cref="MinDelta"/>.</summary>
public sealed record EarlyStoppingSpec(int Patience, double MinDelta = 0);
