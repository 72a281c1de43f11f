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
}
