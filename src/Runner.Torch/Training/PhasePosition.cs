using Runner.Core.Config;
using Runner.Core.Results;

namespace Runner.Torch.Training;

/// <summary>
/// Where a (resumed) train task stands in its phases: the 0-based phase to run next and how many of its epochs are
/// done. A phase whose epochs are all done, or whose patience ran out, is over: the next one starts with a new optimizer.
/// </summary>
public sealed record PhasePosition(int Phase, int EpochsDone)
{
    public static readonly PhasePosition Start = new(0, 0);

    /// <param name="epochPhase">The phase of each finished epoch, in order.</param>
    /// <param name="stopped">Early stopping's patience ran out at the last finished epoch.</param>
    public static PhasePosition After(IReadOnlyList<int> epochPhase, IReadOnlyList<PhaseSpec> phases, bool stopped)
    {
        if (epochPhase.Count == 0) return Start;
        var last = epochPhase[^1];
        var done = epochPhase.Count(p => p == last);
        return done >= phases[last].Epochs || stopped ? new PhasePosition(last + 1, 0) : new PhasePosition(last, done);
    }
}

public static class PhaseRecords
{
    /// <summary>One record per phase from the per-epoch lists of the whole run; <paramref name="trainableParams"/> counts a policy's parameter elements.</summary>
    public static IReadOnlyList<PhaseRecord> Of(IReadOnlyList<PhaseSpec> phases, IReadOnlyList<int> epochPhase, IReadOnlyList<double> epochSeconds,
        IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, Func<string, long> trainableParams) =>
        phases.Select((phase, p) =>
        {
            var epochs = Enumerable.Range(0, epochPhase.Count).Where(e => epochPhase[e] == p).ToList();
            return new PhaseRecord(p + 1, phase.Trainable, phase.Epochs, epochs.Count, (epochs.Count > 0 ? epochs[0] : epochPhase.Count) + 1,
                trainableParams(phase.Trainable), epochs.Sum(e => epochSeconds[e]),
                epochs.Select(e => trainLoss[e]).ToList(), epochs.Select(e => validationLoss[e]).ToList());
        }).ToList();
}
