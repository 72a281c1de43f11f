using Runner.Core.Config;
using Runner.Core.Evaluation;
using Runner.Core.Planning.Kinds;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>What results.json says about whether differences are real: t-intervals over repeat groups, paired bootstraps against the best.</summary>
internal static class Significance
{
    /// <summary>One entry per repeat group, in file order; null when no backbone is repeated.</summary>
    public static IReadOnlyList<RepeatGroupResult>? RepeatGroups(IReadOnlyList<ReportBackbone> specs, IReadOnlyList<BackboneResult> results)
    {
        var groups = specs.Where(s => s.Variant?.Seeds is not null).GroupBy(s => s.Variant!.Group).Select(g =>
        {
            var first = g.First().Variant!;
            var members = g.Select(s => results.Single(r => r.Name == s.Name)).ToList();
            return new RepeatGroupResult(g.Key, first.Base, SweptOf(first), members.Select(m => m.Name).ToList(),
                new RepeatStats(members.Count, g.Select(s => s.Seed).ToList(),
                    new RepeatTest(
                        SeedInterval.Of(members.Select(m => m.Metrics.Test.LogLoss).ToList()),
                        SeedInterval.Of(members.Select(m => m.Metrics.Test.Accuracy).ToList())),
                    SeedInterval.Of(members.Select(m => Util.Statistics.Median(m.Train.EpochSeconds)).ToList())));
        }).ToList();
        return groups.Count > 0 ? groups : null;
    }

    public static VariantResult? VariantOf(ReportBackbone spec) =>
        spec.Variant is { } v ? new VariantResult(v.Base, v.Group, v.Seeds is null ? null : spec.Seed, SweptOf(v)) : null;

    private static IReadOnlyDictionary<string, object> SweptOf(VariantInfo v) => v.Swept.ToDictionary(s => s.Key, s => s.Value);

    /// <summary>
    /// For every model but the best (lowest test log loss), a paired bootstrap of its per-image test log losses against the
    /// best's, by model name. Models whose test predictions do not cover the same images in the same order are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, BootstrapResult> AgainstBest(IReadOnlyDictionary<string, SplitPredictions> test)
    {
        var losses = test.ToDictionary(t => t.Key, t => t.Value.Probabilities.Select((row, i) => Metrics.RowLogLoss(row, t.Value.Labels[i])).ToList());
        var result = new Dictionary<string, BootstrapResult>();
        if (losses.Count < 2) return result;
        var best = losses.Where(l => l.Value.Count > 0 && double.IsFinite(l.Value.Average())).MinBy(l => l.Value.Average()).Key;
        if (best is null) return result;
        foreach (var (name, values) in losses)
            if (name != best && test[name].Ids.SequenceEqual(test[best].Ids) && test[name].Labels.SequenceEqual(test[best].Labels))
                result[name] = PairedBootstrap.Compare(losses[best], values) with { Against = best };
        return result;
    }
}
