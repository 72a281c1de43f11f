using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// This run against the previous <c>results.json</c> in the report folder: every figure both runs have, marked only
/// where it moved beyond its <see cref="NoiseThreshold"/>. A time is compared only with one measured on the same machine
/// (by machine id; results from before machine ids fall back to <c>environment</c>).
/// </summary>
internal sealed record ResultsDiff(
    DateTime PreviousCreated, string? PreviousCommit, bool SameHardware, IReadOnlyList<DiffLine> Lines,
    IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public IReadOnlyList<DiffLine> Changes => Lines.Where(l => l.Changed).ToList();
    public int WithinNoise => Lines.Count(l => !l.Changed);

    public static ResultsDiff Compare(ExperimentResults previous, ExperimentResults current)
    {
        var sameEnvironment = SameTimingHardware(previous.Environment, current.Environment);
        var sameHardware = Same(previous.Environment.Machine, current.Environment.Machine, sameEnvironment);
        var lines = new List<DiffLine>();
        var before = previous.Backbones.ToDictionary(b => b.Name);
        foreach (var now in current.Backbones)
        {
            if (!before.TryGetValue(now.Name, out var then)) continue;
            lines.AddRange(Quality(now.Name, then.Metrics.Test, now.Metrics.Test));
            if (Same(then.Timing.Machine, now.Timing.Machine, sameEnvironment) && Batch1(then) is { } l0 && Batch1(now) is { } l1)
                lines.Add(new DiffLine(now.Name, "latency ms (batch 1)", l0.Median, l1.Median,
                    NoiseThreshold.Timing(l0.Median, l0.Iqr, l0.N, l1.Iqr, l1.N), LowerIsBetter: true));
            if (Same(then.Train.Machine, now.Train.Machine, sameEnvironment) && then.Train.EpochSeconds.Count > 0 && now.Train.EpochSeconds.Count > 0)
            {
                var (e0, e1) = (then.Train.EpochSeconds, now.Train.EpochSeconds);
                lines.Add(new DiffLine(now.Name, "seconds per epoch", Statistics.Median(e0), Statistics.Median(e1),
                    NoiseThreshold.Timing(Statistics.Median(e0), Statistics.InterquartileRange(e0), e0.Count, Statistics.InterquartileRange(e1), e1.Count),
                    LowerIsBetter: true));
            }
        }
        var ensemblesBefore = previous.Ensembles.ToDictionary(e => e.Name);
        foreach (var now in current.Ensembles)
            if (ensemblesBefore.TryGetValue(now.Name, out var then))
                lines.AddRange(Quality(now.Name, then.Metrics.Test, now.Metrics.Test));

        var namesBefore = previous.Backbones.Select(b => b.Name).Concat(previous.Ensembles.Select(e => e.Name)).ToList();
        var namesNow = current.Backbones.Select(b => b.Name).Concat(current.Ensembles.Select(e => e.Name)).ToList();
        return new ResultsDiff(previous.Created, previous.Environment.Commit, sameHardware, lines,
            namesNow.Except(namesBefore).ToList(), namesBefore.Except(namesNow).ToList());
    }

    private static IEnumerable<DiffLine> Quality(string name, SplitMetrics then, SplitMetrics now)
    {
        if (then.N <= 0 || now.N <= 0) yield break;
        yield return new DiffLine(name, "test log loss", then.LogLoss, now.LogLoss,
            NoiseThreshold.LogLoss(then.LogLoss, then.N, now.LogLoss, now.N), LowerIsBetter: true);
        yield return new DiffLine(name, "test accuracy", then.Accuracy, now.Accuracy,
            NoiseThreshold.Accuracy(then.Accuracy, then.N, now.Accuracy, now.N), LowerIsBetter: false);
    }

    private static LatencyStats? Batch1(BackboneResult b) => b.Timing.LatencyMs.GetValueOrDefault("1");

    /// <summary>Two figures' machines by id; without both ids, whether the two results' environments match.</summary>
    private static bool Same(string? then, string? now, bool sameEnvironment) => then is not null && now is not null ? then == now : sameEnvironment;

    private static bool SameTimingHardware(EnvironmentInfo a, EnvironmentInfo b) =>
        a.Device == b.Device && a.DeviceName == b.DeviceName && a.Threads == b.Threads && a.Driver == b.Driver;
}
