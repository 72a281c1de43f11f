using Runner.Core.Evaluation;
using Runner.Core.Reporting;
using Runner.Core.Results;

namespace Runner.Tests.Core.Reporting;

/// <summary>The verdict calls a model better only when the paired bootstrap or the seeds' t-intervals say so.</summary>
public sealed class SignificanceVerdictTests
{
    private static BootstrapResult Versus(bool significant) => new(0.03, significant ? [0.01, 0.05] : [-0.01, 0.07], significant, 2000, 1) { Against = "classic" };

    private static ExperimentResults WithBootstrap(bool resnetSignificant) => ReportFixture.Current with
    {
        Backbones = ReportFixture.Current.Backbones.Select(b => b with { Bootstrap = Versus(b.Name != "resnet18" || resnetSignificant) }).ToList(),
        Ensembles = ReportFixture.Current.Ensembles.Select(e => e with { Bootstrap = e.Name == "classic" ? null : Versus(true) }).ToList(),
    };

    [Fact]
    public void The_lowest_log_loss_is_called_best_when_it_is_significantly_lower_than_every_other()
    {
        var verdict = ReportModel.From(WithBootstrap(resnetSignificant: true)).Verdict;

        Assert.StartsWith("Best test log loss: **classic** (0.3512, ensemble; lower than every other at 95 %, paired bootstrap);", verdict);
    }

    [Fact]
    public void The_lowest_log_loss_is_not_called_best_when_some_difference_is_within_noise()
    {
        var verdict = ReportModel.From(WithBootstrap(resnetSignificant: false)).Verdict;

        Assert.StartsWith("Lowest test log loss: classic (0.3512, ensemble), not significantly lower than resnet18 (paired bootstrap, 95 %);", verdict);
        Assert.DoesNotContain("Best test log loss", verdict);
    }

    private static RepeatGroupResult Group(string name, params double[] logLosses) => new(name, name, new Dictionary<string, object>(),
        logLosses.Select((_, i) => $"{name}.seed{i + 1}").ToList(),
        new RepeatStats(logLosses.Length, logLosses.Select((_, i) => i + 1).ToList(),
            new RepeatTest(SeedInterval.Of(logLosses), SeedInterval.Of([0.8, 0.82, 0.81])), SeedInterval.Of([2.0, 2.1, 2.2])));

    [Fact]
    public void Over_seeds_a_group_is_best_only_when_its_interval_lies_below_the_others()
    {
        var apart = ReportModel.From(ReportFixture.Current with { RepeatGroups = [Group("a", 0.30, 0.31, 0.32), Group("b", 0.50, 0.51, 0.52)] }).Verdict;
        var overlapping = ReportModel.From(ReportFixture.Current with { RepeatGroups = [Group("a", 0.30, 0.31, 0.32), Group("b", 0.29, 0.40, 0.45)] }).Verdict;

        Assert.Contains("over seeds, **a** is best (0.3100 ± 0.0248, 95 % t-interval over 3 seeds; its interval lies below every other group's)", apart);
        Assert.Contains("over seeds, a has the lowest mean test log loss (0.3100 ± 0.0248, 95 % t-interval over 3 seeds), but its interval overlaps those of b, so no group is better", overlapping);
    }
}
