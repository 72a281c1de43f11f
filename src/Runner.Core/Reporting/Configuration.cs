using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// What the verdict and the latency-vs-log-loss plot compare, so that claims are about configurations, not lucky seeds:
/// a repeat group (its seeds' mean and 95 % t-interval; timed once), a backbone trained once, or an ensemble.
/// </summary>
/// <param name="Variants">The backbones it stands for (a repeat group's seeds, or the backbone itself); empty for an ensemble.</param>
internal sealed record Configuration(string Name, bool IsEnsemble, IReadOnlyList<string> Variants, Figure LogLoss, Figure Accuracy)
{
    /// <summary>How many seeds the quality figures are over (1: trained once).</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>Batch-1 inference latency median and its interval (an ensemble: the sum of its members' medians); null when not timed.</summary>
    public Figure? LatencyMs { get; init; }
    /// <summary>Seconds per epoch: the seeds' median epochs (mean and t-interval), or one backbone's median epoch; null for an ensemble.</summary>
    public Figure? EpochSeconds { get; init; }
    /// <summary>The machine every variant trained on; null when unknown or mixed (seeds on several machines: <see cref="MixedTraining"/>).</summary>
    public string? TrainMachine { get; init; }
    public bool MixedTraining { get; init; }
    /// <summary>The machine that timed it (for an ensemble, its members' when they share one).</summary>
    public string? TimingMachine { get; init; }

    /// <summary>A model trained once (or an ensemble): its paired bootstrap against the lowest test log loss; null otherwise.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }

    /// <summary>Test accuracy per batch-1 ms, its interval from both intervals; null without a latency.</summary>
    public Figure? AccuracyPerMs => LatencyMs is { Value: > 0 } latency ? Accuracy.Per(latency) : null;

    /// <summary>Every configuration of the results in experiment order (a repeat group where its first seed is), then the ensembles.</summary>
    public static IReadOnlyList<Configuration> Of(ExperimentResults results)
    {
        var groups = (results.RepeatGroups ?? []).ToDictionary(g => g.Name);
        var configurations = new List<Configuration>();
        var seen = new HashSet<string>();
        foreach (var b in results.Backbones)
        {
            if (b.Variant is { Seed: not null } v && groups.TryGetValue(v.Group, out var group))
            {
                if (seen.Add(group.Name)) configurations.Add(OfGroup(group, results.Backbones.Where(m => group.Variants.Contains(m.Name)).ToList()));
                continue;
            }
            var epochs = b.Train.EpochSeconds;
            configurations.Add(new Configuration(b.Name, false, [b.Name], Figure.Point(b.Metrics.Test.LogLoss), Figure.Point(b.Metrics.Test.Accuracy))
            {
                LatencyMs = Latency(b),
                EpochSeconds = epochs.Count > 0
                    ? Figure.OfMedian(Statistics.Median(epochs), Statistics.InterquartileRange(epochs), epochs.Count)
                    : null,
                TrainMachine = b.Train.Machine,
                TimingMachine = b.Timing.Machine,
                Bootstrap = b.Bootstrap,
            });
        }
        foreach (var e in results.Ensembles)
        {
            var members = results.Backbones.Where(b => e.Members.Contains(b.Name)).Select(b => b.Timing.Machine).Distinct().ToList();
            configurations.Add(new Configuration(e.Name, true, [], Figure.Point(e.Metrics.Test.LogLoss), Figure.Point(e.Metrics.Test.Accuracy))
            {
                LatencyMs = e.LatencyMsSum is { } sum ? Figure.Point(sum) : null,
                TimingMachine = members.Count == 1 ? members[0] : null,
                Bootstrap = e.Bootstrap,
            });
        }
        return configurations;
    }

    private static Configuration OfGroup(RepeatGroupResult group, IReadOnlyList<BackboneResult> members)
    {
        var timed = members.FirstOrDefault(m => m.Timing.TimedBy is null) ?? (members.Count > 0 ? members[0] : null);
        var trainMachines = members.Select(m => m.Train.Machine).Distinct().ToList();
        return new Configuration(group.Name, false, group.Variants, Figure.Of(group.Repeats.Test.LogLoss), Figure.Of(group.Repeats.Test.Accuracy))
        {
            Seeds = group.Repeats.N,
            LatencyMs = timed is null ? null : Latency(timed),
            EpochSeconds = Figure.Of(group.Repeats.SecondsPerEpoch),
            TrainMachine = trainMachines.Count == 1 ? trainMachines[0] : null,
            MixedTraining = trainMachines.Count > 1,
            TimingMachine = timed?.Timing.Machine,
        };
    }

    private static Figure? Latency(BackboneResult b) => ReportRow.Batch1Of(b) is { } l ? Figure.OfMedian(l.Median, l.Iqr, l.N) : null;
}
