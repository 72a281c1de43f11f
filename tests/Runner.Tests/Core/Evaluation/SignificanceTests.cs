using Runner.Core.Evaluation;
using Runner.Core.Reporting;
using Runner.Core.Results;

namespace Runner.Tests.Core.Evaluation;

/// <summary>t-intervals over seeds and the paired bootstrap, against values computed by hand or by scipy.</summary>
public sealed class SignificanceTests
{
    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(30, 2.0423)]
    [InlineData(100_000, 1.9600)]
    public void The_t_quantile_matches_tables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, SeedInterval.TQuantile(degreesOfFreedom), 4);

    [Fact]
    public void The_t_interval_of_three_seeds_is_mean_plus_minus_t_times_the_standard_error()
    {
        var interval = SeedInterval.Of([0.30, 0.32, 0.34]);

        Assert.Equal(0.32, interval.Mean, 12);
        Assert.Equal(0.02, interval.Std, 12);
        // t(0.975, 2) = 4.302653; 4.302653 · 0.02 / √3 = 0.049683
        Assert.Equal(0.270317, interval.Ci95[0], 6);
        Assert.Equal(0.369683, interval.Ci95[1], 6);
        Assert.Equal(0.049683, interval.HalfWidth, 6);
    }

    [Fact]
    public void An_interval_needs_two_values() => Assert.Throws<ArgumentException>(() => SeedInterval.Of([0.3]));

    [Fact]
    public void Intervals_are_ordered_only_when_they_do_not_overlap()
    {
        var low = SeedInterval.Of([0.10, 0.11, 0.12]);
        var high = SeedInterval.Of([0.20, 0.21, 0.22]);
        var wide = SeedInterval.Of([0.05, 0.15, 0.25]);

        Assert.True(low.Below(high));
        Assert.False(high.Below(low));
        Assert.False(low.Below(wide));
    }

    [Fact]
    public void Identical_models_differ_by_nothing_and_not_significantly()
    {
        double[] losses = [0.1, 0.5, 0.2, 0.9, 0.3];

        var result = PairedBootstrap.Compare(losses, losses);

        Assert.Equal((0.0, 0.0, 0.0, false), (result.Difference, result.Ci95[0], result.Ci95[1], result.Significant));
        Assert.Equal(2000, result.Resamples);
    }

    [Fact]
    public void A_constant_shift_gives_a_point_interval_that_is_significant()
    {
        double[] reference = [0.1, 0.5, 0.2, 0.9, 0.3];

        var result = PairedBootstrap.Compare(reference, reference.Select(l => l + 0.25).ToArray());

        Assert.Equal(0.25, result.Difference, 12);
        Assert.Equal(0.25, result.Ci95[0], 12);
        Assert.Equal(0.25, result.Ci95[1], 12);
        Assert.True(result.Significant);
    }

    [Fact]
    public void The_interval_has_the_width_of_the_normal_approximation_and_is_reproducible()
    {
        // Differences alternate +d and −d around a mean of 0.01: sd ≈ 0.2, n = 2000 → half-width ≈ 1.96 · 0.2 / √2000 ≈ 0.00877.
        var random = new Random(7);
        var reference = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var other = reference.Select((l, i) => l + 0.01 + (i % 2 == 0 ? 0.2 : -0.2)).ToArray();

        var result = PairedBootstrap.Compare(reference, other);

        Assert.Equal(0.01, result.Difference, 10);
        Assert.InRange((result.Ci95[1] - result.Ci95[0]) / 2, 0.0080, 0.0096);
        Assert.True(result.Significant);
        Assert.Equal(result.Ci95, PairedBootstrap.Compare(reference, other).Ci95);
        Assert.NotEqual(result.Ci95[0], PairedBootstrap.Compare(reference, other, seed: 8).Ci95[0]);
    }

    [Fact]
    public void A_small_difference_on_few_images_is_not_significant()
    {
        double[] reference = [0.1, 0.9, 0.2, 0.8, 0.3, 0.7];
        double[] other = [0.2, 0.8, 0.3, 0.7, 0.4, 0.75];

        var result = PairedBootstrap.Compare(reference, other);

        Assert.True(result.Ci95[0] < 0 && result.Ci95[1] > 0);
        Assert.False(result.Significant);
    }

    [Fact]
    public void Every_model_is_compared_with_the_lowest_test_log_loss()
    {
        SplitPredictions Predictions(params double[] pTrue) =>
            new(pTrue.Select((_, i) => $"img{i}").ToList(), pTrue.Select(_ => 1).ToList(), pTrue.Select(p => new[] { 1 - p, p }).ToList());
        var good = Predictions(0.9, 0.9, 0.95, 0.9, 0.85, 0.9, 0.9, 0.95);
        var bad = Predictions(0.2, 0.3, 0.25, 0.2, 0.3, 0.2, 0.3, 0.25);
        var close = Predictions(0.9, 0.88, 0.95, 0.91, 0.85, 0.9, 0.89, 0.95);

        var result = Significance.AgainstBest(new Dictionary<string, SplitPredictions> { ["bad"] = bad, ["good"] = good, ["close"] = close });

        Assert.Equal(["bad", "close"], result.Keys.Order());
        Assert.All(result.Values, r => Assert.Equal("good", r.Against));
        Assert.True(result["bad"].Significant);
        Assert.True(result["bad"].Difference > 1);
        Assert.False(result["close"].Significant);
    }

    [Fact]
    public void The_bootstrap_label_marks_significant_differences()
    {
        Assert.Equal("+0.0120 (+0.0050 to +0.0190) ✱", BootstrapLabel.Of(new BootstrapResult(0.012, [0.005, 0.019], true, 2000, 1)));
        Assert.Equal("+0.0020 (−0.0010 to +0.0050)", BootstrapLabel.Of(new BootstrapResult(0.002, [-0.001, 0.005], false, 2000, 1)));
        Assert.Equal("–", BootstrapLabel.Of(null));
    }
}
