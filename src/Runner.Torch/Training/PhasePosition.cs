using Runner.Core.Config;

namespace Runner.Torch.Training;

/// <summary>
/// Where a (resumed) train task stands in its phases: the 0-based phase to run next and how many of its epochs are
/// done. A phase whose epochs are all done, or whose patience ran out, is over: the next one starts with a new optimizer.
/// </summary>
internal sealed record PhasePosition(int Phase, int EpochsDone)
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
