namespace Runner.Core.Results;

/// <summary>
/// What one phase of a phased train task did (<c>phases:</c>), in <c>train.json</c> and <c>results.json</c>.
/// <paramref name="Phase"/> is 1-based; <paramref name="Epochs"/> is what the phase was given,
/// <paramref name="EpochsRun"/> what it ran (fewer when early stopping ended it); <paramref name="FirstEpoch"/> is the
/// 1-based epoch of the whole run the phase began with; the lists hold one value per epoch run.
/// </summary>
public sealed record PhaseRecord(
    int Phase, string Trainable, int Epochs, int EpochsRun, int FirstEpoch, long TrainableParams, double Seconds,
    IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValLogLoss)
{
    public bool StoppedEarly => EpochsRun < Epochs;
}
