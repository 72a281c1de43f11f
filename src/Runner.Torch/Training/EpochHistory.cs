using Runner.Torch.Compute;

namespace Runner.Torch.Training;

/// <summary>What each finished epoch of a training measured, in order, across its phases (and across a resume).</summary>
internal sealed class EpochHistory
{
    public List<double> Seconds { get; } = [];
    public List<double> DataWaitSeconds { get; } = [];
    public List<double> TrainLoss { get; } = [];
    public List<double> ValidationLoss { get; } = [];
    public List<double> RssMb { get; } = [];
    /// <summary>The 0-based phase each epoch belonged to.</summary>
    public List<int> Phase { get; } = [];
    public double? PeakGpuMemoryMb { get; private set; }

    public int Count => Phase.Count;

    public void Add(EpochRecord record, int phase, double rssMb, double? gpuMemoryMb)
    {
        Seconds.Add(record.Seconds);
        DataWaitSeconds.Add(record.DataWaitSeconds);
        TrainLoss.Add(record.TrainLoss);
        ValidationLoss.Add(record.ValidationLoss);
        Phase.Add(phase);
        RssMb.Add(rssMb);
        if (gpuMemoryMb is { } mb) PeakGpuMemoryMb = Math.Max(PeakGpuMemoryMb ?? 0, mb);
    }

    /// <summary>The epochs a killed run had finished, as its resume point recorded them.</summary>
    public void Restore(ResumeState resumed)
    {
        Seconds.AddRange(resumed.EpochSeconds);
        DataWaitSeconds.AddRange(resumed.DataWaitSeconds);
        TrainLoss.AddRange(resumed.TrainLoss);
        ValidationLoss.AddRange(resumed.ValLogLoss);
        RssMb.AddRange(resumed.RssMb ?? []);
        Phase.AddRange(resumed.EpochPhase ?? Enumerable.Repeat(0, resumed.EpochsDone));
    }

    /// <summary>The resume point after the last epoch, with early stopping's and the loss scaler's state.</summary>
    public ResumeState ToResumeState(EarlyStopping? stopping, bool hasBest, int batchSize, LossScaleState? lossScale) =>
        new(Count, Seconds, DataWaitSeconds, TrainLoss, ValidationLoss, stopping?.BestEpoch ?? -1, stopping?.BestLoss ?? double.NaN,
            stopping?.EpochsWithoutImprovement ?? 0, hasBest)
        {
            RssMb = RssMb, BatchSize = batchSize, EpochPhase = Phase, LossScale = lossScale,
        };
}

/// <summary>One epoch's figures: its training time, the time spent waiting for data, and the two losses.</summary>
internal sealed record EpochRecord(double Seconds, double DataWaitSeconds, double TrainLoss, double ValidationLoss);
