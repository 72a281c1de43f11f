using Runner.Core.Evaluation;
using Runner.Core.Util;

namespace Runner.Tests.Core.Evaluation;

/// <summary>Metrics and Statistics against hand-computed values.</summary>
public sealed class MetricsTests
{
    private static readonly double[][] Probs = [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]];
    private static readonly int[] Labels = [0, 1, 1];

    [Fact]
    public void LogLoss_is_the_mean_negative_log_probability_of_the_true_class()
    {
        // -(ln 0.8 + ln 0.7 + ln 0.4) / 3
        Assert.Equal(0.49870307570903244, Metrics.LogLoss(Probs, Labels), 12);
    }

    [Fact]
    public void LogLoss_clips_a_confident_wrong_prediction_at_1e_15()
    {
        // -ln(1e-15) = 34.5387763949...
        Assert.Equal(34.538776394910684, Metrics.LogLoss([[1.0, 0.0]], [1]), 9);
        Assert.False(double.IsInfinity(Metrics.LogLoss([[0.0, 1.0, 0.0]], [2])));
    }

    [Fact]
    public void LogLoss_renormalises_rows()
    {
        Assert.Equal(Math.Log(4), Metrics.LogLoss([[0.1, 0.3]], [0]), 12); // 0.1 / 0.4
        Assert.Equal(Math.Log(2), Metrics.LogLoss([[0.1, 0.1, 0.2]], [2]), 12);
    }

    [Fact]
    public void Accuracy_counts_argmax_hits()
    {
        Assert.Equal(2.0 / 3, Metrics.Accuracy(Probs, Labels), 12);
        Assert.Equal(1.0, Metrics.Accuracy([[0.1, 0.2, 0.7]], [2]));
        Assert.True(double.IsNaN(Metrics.Accuracy([], [])));
        Assert.True(double.IsNaN(Metrics.LogLoss([], [])));
    }

    [Fact]
    public void BinaryAuc_counts_ties_as_half()
    {
        // positives score {0.4, 0.8}, negatives {0.1, 0.4}:
        // pairs (0.4>0.1)=1, (0.4=0.4)=0.5, (0.8>0.1)=1, (0.8>0.4)=1 → 3.5 / 4
        double[][] probs = [[0.9, 0.1], [0.6, 0.4], [0.6, 0.4], [0.2, 0.8]];
        Assert.Equal(0.875, Metrics.BinaryAuc(probs, [0, 1, 0, 1])!.Value, 12);
        // all scores tied → 0.5
        Assert.Equal(0.5, Metrics.BinaryAuc([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], [0, 1, 1])!.Value, 12);
    }

    [Fact]
    public void BinaryAuc_is_one_for_perfect_and_zero_for_reversed_ranking()
    {
        double[][] probs = [[0.9, 0.1], [0.7, 0.3], [0.4, 0.6], [0.1, 0.9]];
        Assert.Equal(1.0, Metrics.BinaryAuc(probs, [0, 0, 1, 1]));
        Assert.Equal(0.0, Metrics.BinaryAuc(probs, [1, 1, 0, 0]));
    }

    [Fact]
    public void BinaryAuc_is_null_when_a_class_is_absent_or_not_binary()
    {
        Assert.Null(Metrics.BinaryAuc([[0.9, 0.1], [0.2, 0.8]], [1, 1]));
        Assert.Null(Metrics.BinaryAuc([[0.9, 0.1], [0.2, 0.8]], [0, 0]));
        Assert.Null(Metrics.BinaryAuc([[0.2, 0.3, 0.5], [0.5, 0.3, 0.2]], [0, 1]));
        Assert.Null(Metrics.BinaryAuc([], []));
    }

    [Fact]
    public void Quantiles_match_numpy_linear_interpolation()
    {
        double[] values = [7, 1, 10, 3]; // sorted 1 3 7 10
        Assert.Equal(5.0, Statistics.Median(values), 12);              // np.median → 5.0
        Assert.Equal(2.5, Statistics.Quantile(values, 0.25), 12);      // np.percentile(…, 25) → 2.5
        Assert.Equal(7.75, Statistics.Quantile(values, 0.75), 12);     // → 7.75
        Assert.Equal(1.6, Statistics.Quantile(values, 0.1), 12);       // → 1.6
        Assert.Equal(1.0, Statistics.Quantile(values, 0), 12);
        Assert.Equal(10.0, Statistics.Quantile(values, 1), 12);
        Assert.Equal(5.25, Statistics.InterquartileRange(values), 12);

        double[] odd = [1, 2, 3, 4, 10];
        Assert.Equal(3.0, Statistics.Median(odd));
        Assert.Equal(7.6, Statistics.Quantile(odd, 0.9), 12);          // np.percentile(…, 90) → 7.6
        Assert.Equal(2.0, Statistics.InterquartileRange(odd), 12);     // 4 − 2
    }

    [Fact]
    public void Quantile_edge_cases()
    {
        Assert.True(double.IsNaN(Statistics.Median([])));
        Assert.Equal(4.2, Statistics.Median([4.2]));
        Assert.Equal(0.0, Statistics.InterquartileRange([4.2]));
    }
}
