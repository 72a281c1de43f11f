using Runner.Core.Evaluation;

namespace Runner.Core.Reporting;

/// <summary>
/// A figure and its 95 % interval: the t-interval of a mean over seeds, the interval of a median from its timed calls, or
/// a point for something measured once (a backbone trained with one seed, an ensemble's test log loss).
/// </summary>
internal readonly record struct Figure(double Value, double Low, double High)
{
    /// <summary>Measured once: no interval to compare with (never told apart from another such figure by intervals).</summary>
    public bool Once { get; init; }

    public static Figure Point(double value) => new(value, value, value) { Once = true };

    public static Figure Of(SeedInterval seeds) => new(seeds.Mean, seeds.Ci95[0], seeds.Ci95[1]);

    /// <summary>A median of n samples ± 1.96 standard errors (√(π/2)·σ/√n, σ ≈ IQR / 1.349, as in <see cref="NoiseThreshold"/>).</summary>
    public static Figure OfMedian(double median, double iqr, int n)
    {
        var half = 1.96 * NoiseThreshold.MedianStandardError(iqr, n);
        return double.IsFinite(half) ? new Figure(median, median - half, median + half) : Point(median);
    }

    public bool IsFinite => double.IsFinite(Value);

    public double HalfWidth => (High - Low) / 2;

    public bool Overlaps(Figure other) => Low <= other.High && other.Low <= High;

    /// <summary>This figure divided by <paramref name="other"/>, its interval from the two intervals' ends (accuracy per ms).</summary>
    public Figure Per(Figure other) => new(Value / other.Value, Low / other.High, High / other.Low) { Once = Once && other.Once };
}
