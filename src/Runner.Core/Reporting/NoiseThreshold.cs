namespace Runner.Core.Reporting;

/// <summary>
/// How far a figure must move between two runs before the report calls it a change (reports/templates/README.md,
/// "Diff"). Each threshold comes from the spread the two runs measured, so noise is not reported as change.
/// </summary>
internal static class NoiseThreshold
{
    /// <summary>Standard errors a quality metric must move by (≈ 95 % two-sided).</summary>
    public const double QualityZ = 2;
    /// <summary>Standard errors a timing median must move by; timings get a wider band than quality metrics.</summary>
    public const double TimingZ = 3;
    /// <summary>Smallest relative change of a timing median reported: runs on a shared machine drift by more than one run's spread.</summary>
    public const double TimingFloor = 0.05;

    /// <summary>
    /// Two medians of timed calls: the standard error of a median is √(π/2)·σ/√n, with σ estimated from the
    /// interquartile range (σ ≈ IQR / 1.349); the threshold is <see cref="TimingZ"/> standard errors of the difference,
    /// and at least <see cref="TimingFloor"/> of the previous median.
    /// </summary>
    public static double Timing(double previousMedian, double previousIqr, int previousN, double currentIqr, int currentN)
    {
        var se = Math.Sqrt(Square(MedianStandardError(previousIqr, previousN)) + Square(MedianStandardError(currentIqr, currentN)));
        return Math.Max(TimingZ * se, TimingFloor * Math.Abs(previousMedian));
    }

    /// <summary>
    /// Two accuracies on n₁ and n₂ test images: binomial standard errors √(p(1−p)/n) combined, times <see cref="QualityZ"/>;
    /// never less than one image of the smaller split (so a perfect score still has a threshold).
    /// </summary>
    public static double Accuracy(double previous, int previousN, double current, int currentN)
    {
        var se = Math.Sqrt(previous * (1 - previous) / previousN + current * (1 - current) / currentN);
        return Math.Max(QualityZ * se, 1.0 / Math.Min(previousN, currentN));
    }

    /// <summary>
    /// Two mean log losses on n₁ and n₂ test images. results.json keeps only the mean, so the per-image spread is
    /// taken as equal to it (per-image log loss is roughly exponentially distributed: standard deviation ≈ mean);
    /// the standard error of each mean is then L/√n, combined and times <see cref="QualityZ"/>.
    /// </summary>
    public static double LogLoss(double previous, int previousN, double current, int currentN) =>
        QualityZ * Math.Sqrt(Square(previous) / previousN + Square(current) / currentN);

    public static double MedianStandardError(double iqr, int n) =>
        n > 0 ? Math.Sqrt(Math.PI / 2) * (iqr / 1.349) / Math.Sqrt(n) : double.PositiveInfinity;

    private static double Square(double x) => x * x;
}
