using System.Globalization;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>
/// The report's headline. Its claims are about configurations (<see cref="Configuration"/>: with repeats, a group's mean
/// over its seeds, never its luckiest seed), each names the runner-up and says whether the two are told apart at 95 %,
/// and a claim about time is made only among figures one machine measured (one claim per machine otherwise).
/// </summary>
internal static class Headline
{
    public static string Of(ExperimentResults results, IReadOnlyList<Configuration> configurations)
    {
        if (results.Backbones.Count == 0) return "No backbones.";
        var parts = new List<string>();
        if (configurations.Any(c => c.Seeds > 1))
        {
            // Two models trained once are told apart by the paired bootstrap of their per-image log losses.
            if (Claim("lowest test log loss", configurations.Where(c => c.LogLoss.IsFinite), c => c.LogLoss, lowerIsBetter: true, LogLoss,
                    (best, second) => second.Bootstrap is { Significant: true } b && b.Against == best.Name) is { } claim)
                parts.Add(claim);
        }
        else if (LowestLogLoss(results) is { } lowest)
        {
            parts.Add(lowest);
        }
        parts.AddRange(PerMachine(results, "fastest inference", configurations.Where(c => !c.IsEnsemble), c => c.TimingMachine, c => c.LatencyMs,
            lowerIsBetter: true, (_, f) => $"{F(f.Value, "0.00")} ms per image"));
        parts.AddRange(PerMachine(results, "best accuracy per ms", configurations, c => c.TimingMachine, c => c.AccuracyPerMs,
            lowerIsBetter: false, (_, f) => F(f.Value, "0.000")));
        parts.AddRange(PerMachine(results, "fastest training", configurations.Where(c => !c.IsEnsemble && !c.MixedTraining), c => c.TrainMachine,
            c => c.EpochSeconds, lowerIsBetter: true, (c, f) => c.Seeds > 1
                ? $"{F(f.Value, "0.0")} ± {F(f.HalfWidth, "0.0")} s per epoch over {c.Seeds} seeds"
                : $"{F(f.Value, "0.0")} s per epoch"));
        var text = string.Join("; ", parts);
        return text.Length == 0 ? "No complete results." : char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    private static string LogLoss(Configuration c, Figure f) =>
        c.Seeds > 1 ? $"{F(f.Value, "0.0000")} ± {F(f.HalfWidth, "0.0000")} over {c.Seeds} seeds"
        : $"{F(f.Value, "0.0000")}, {(c.IsEnsemble ? "ensemble" : "one seed")}";

    /// <summary>The claim among the configurations each machine measured: one claim, or one per machine (<c>fastest training on M2</c>).</summary>
    private static IEnumerable<string> PerMachine(ExperimentResults results, string what, IEnumerable<Configuration> configurations,
        Func<Configuration, string?> machine, Func<Configuration, Figure?> figure, bool lowerIsBetter, Func<Configuration, Figure, string> show)
    {
        var measured = configurations.Where(c => figure(c) is { IsFinite: true }).GroupBy(machine).ToList();
        foreach (var group in measured)
        {
            var title = measured.Count == 1 ? what
                : $"{what} on {(group.Key is null ? "an unrecorded machine" : MachineLine.LabelOf(results.Machines, group.Key))}";
            if (Claim(title, group, c => figure(c)!.Value, lowerIsBetter, show) is { } claim) yield return claim;
        }
    }

    /// <summary>
    /// "what: **best** (figure; ahead of the runner-up X, figure, at 95 %)" when the two are told apart, else "what: best
    /// (figure), not told apart from the runner-up X (figure) at 95 %". They are told apart when their 95 % intervals do
    /// not overlap; two figures measured once have no interval, so only <paramref name="pointsApart"/> can tell them apart.
    /// </summary>
    private static string? Claim(string what, IEnumerable<Configuration> candidates, Func<Configuration, Figure> figure, bool lowerIsBetter,
        Func<Configuration, Figure, string> show, Func<Configuration, Configuration, bool>? pointsApart = null)
    {
        var ranked = candidates.OrderBy(c => lowerIsBetter ? figure(c).Value : -figure(c).Value).ToList();
        if (ranked.Count == 0) return null;
        var best = ranked[0];
        if (ranked.Count == 1) return $"{what}: **{best.Name}** ({show(best, figure(best))})";
        var second = ranked[1];
        var (f, g) = (figure(best), figure(second));
        var apart = f.Once && g.Once ? pointsApart?.Invoke(best, second) == true : !f.Overlaps(g);
        return apart
            ? $"{what}: **{best.Name}** ({show(best, f)}; ahead of the runner-up {second.Name}, {show(second, g)}, at 95 %)"
            : $"{what}: {best.Name} ({show(best, f)}), not told apart from the runner-up {second.Name} ({show(second, g)}) at 95 %";
    }

    /// <summary>
    /// Without repeats: the lowest test log loss is called best only when the paired bootstrap finds it significantly
    /// lower than every other model; otherwise the verdict names the models it cannot be told apart from.
    /// </summary>
    private static string? LowestLogLoss(ExperimentResults results)
    {
        var models = results.Backbones.Select(b => (b.Name, IsEnsemble: false, b.Metrics.Test.LogLoss, b.Bootstrap))
            .Concat(results.Ensembles.Select(e => (e.Name, IsEnsemble: true, e.Metrics.Test.LogLoss, e.Bootstrap)))
            .Where(m => double.IsFinite(m.LogLoss)).OrderBy(m => m.LogLoss).ToList();
        if (models.Count == 0) return null;
        var lowest = models[0];
        var figure = $"{F(lowest.LogLoss, "0.0000")}{(lowest.IsEnsemble ? ", ensemble" : "")}";
        var others = models.Skip(1).ToList();
        if (others.Count == 0 || others.Any(c => c.Bootstrap is null)) return $"lowest test log loss: **{lowest.Name}** ({figure})";
        var ties = others.Where(c => !c.Bootstrap!.Significant).Select(c => c.Name).ToList();
        return ties.Count == 0
            ? $"best test log loss: **{lowest.Name}** ({figure}; lower than every other at 95 %, paired bootstrap)"
            : $"lowest test log loss: {lowest.Name} ({figure}), not significantly lower than {string.Join(", ", ties)} (paired bootstrap, 95 %)";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
