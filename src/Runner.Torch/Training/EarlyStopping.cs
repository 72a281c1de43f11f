using Runner.Core.Config;

namespace Runner.Torch.Training;

/// <summary>
/// Tracks validation log loss per epoch: an epoch improves when its loss is below the best so far by more than
/// min_delta; after <c>patience</c> epochs without improvement, <see cref="ShouldStop"/>. Without a spec it only
/// tracks the best epoch and never stops.
/// </summary>
internal sealed class EarlyStopping(EarlyStoppingSpec? spec)
{
    /// <summary>0-based index of the best epoch so far; -1 before the first.</summary>
    public int BestEpoch { get; private set; } = -1;
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int EpochsWithoutImprovement { get; private set; }
    public bool ShouldStop => spec is not null && EpochsWithoutImprovement >= spec.Patience;

    /// <summary>Puts back the state of a resumed run (see <see cref="BestEpoch"/>, <see cref="BestLoss"/>,
    /// <see cref="EpochsWithoutImprovement"/>).</summary>
    public void Restore(int bestEpoch, double bestLoss, int epochsWithoutImprovement)
    {
        BestEpoch = bestEpoch;
        BestLoss = bestLoss;
        EpochsWithoutImprovement = epochsWithoutImprovement;
    }

    /// <summary>Records one epoch's validation loss; true when it is the new best (save its weights then).</summary>
    public bool Observe(int epoch, double loss)
    {
        // A NaN loss never improves; any real loss improves on a NaN best.
        var improved = BestEpoch < 0
            || (!double.IsNaN(loss) && (double.IsNaN(BestLoss) || loss < BestLoss - (spec?.MinDelta ?? 0)));
        if (improved)
        {
            BestEpoch = epoch;
            BestLoss = loss;
            EpochsWithoutImprovement = 0;
        }
        else EpochsWithoutImprovement++;
        return improved;
    }
}
