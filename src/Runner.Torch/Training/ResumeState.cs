namespace Runner.Torch.Training;

/// <summary>What a train task had done after its last finished epoch: the epoch count, the metrics so far and early stopping's state.</summary>
internal sealed record ResumeState(
    int EpochsDone,
    IReadOnlyList<double> EpochSeconds,
    IReadOnlyList<double> DataWaitSeconds,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> ValLogLoss,
    int BestEpoch,
    double BestLoss,
    int EpochsWithoutImprovement,
    bool HasBest)
{
    public IReadOnlyList<double>? RssMb { get; init; }
    /// <summary>Batch size the last epoch ran with (smaller than configured after a CUDA out-of-memory retry); null in older points.</summary>
    public int? BatchSize { get; init; }
    /// <summary>0-based phase of each finished epoch (<c>phases:</c>); null in older points, which ran one phase.</summary>
    public IReadOnlyList<int>? EpochPhase { get; init; }
    /// <summary>amp_fp16's loss scaler after the last finished epoch; null without loss scaling and in older points.</summary>
    public Compute.LossScaleState? LossScale { get; init; }
}
