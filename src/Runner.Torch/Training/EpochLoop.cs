namespace Runner.Torch.Training;

/// <summary>
/// The epoch loop's control flow without the data: runs <c>epoch(i)</c> (train one epoch, return the validation
/// log loss) up to <c>epochs</c> times; with early stopping it calls <c>onBest(i)</c> whenever epoch i is the new best
/// (the caller snapshots the weights) and stops after patience epochs without improvement. Without early stopping the
/// last epoch is the one kept.
/// </summary>
internal static class EpochLoop
{
    /// <param name="start">First epoch to run (0-based): a resumed run has already finished the epochs before it, and <paramref name="stopping"/>
    /// holds their state.</param>
    /// <param name="onFinished">Called after each epoch, once early stopping has seen it (to write a resume point).</param>
    public static EpochLoopResult Run(int epochs, EarlyStopping? stopping, Func<int, double> epoch, Action<int>? onBest = null,
        int start = 0, Action<int>? onFinished = null)
    {
        var run = start;
        for (var i = start; i < epochs && !(stopping?.ShouldStop ?? false); i++)
        {
            var loss = epoch(i);
            run = i + 1;
            if (stopping is not null && stopping.Observe(i, loss)) onBest?.Invoke(i);
            onFinished?.Invoke(i);
            if (stopping?.ShouldStop ?? false) break;
        }
        var best = stopping is null ? run - 1 : stopping.BestEpoch;
        return new EpochLoopResult(run, best, run < epochs);
    }
}
