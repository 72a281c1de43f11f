namespace Runner.Torch.Training;

/// <summary>What an <see cref="EpochLoop"/> run did: epochs run, the 0-based epoch whose weights were kept, and whether it stopped early.</summary>
internal sealed record EpochLoopResult(int EpochsRun, int BestEpoch, bool StoppedEarly);
