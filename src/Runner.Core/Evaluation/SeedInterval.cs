using MathNet.Numerics.Distributions;

namespace Runner.Core.Evaluation;

/// <summary>
/// Mean, sample standard deviation (n − 1) and a two-sided 95 % Student t-interval of the mean, over independent
/// repeats (one value per seed): mean ± t(0.975, n − 1) · std / √n.
/// </summary>
internal sealed record SeedInterval(double Mean, double Std, IReadOnlyList<double> Ci95)
{
    public const double Level = 0.95;

    /// <summary>Half the interval's width (what the report prints after ±).</summary>
    public double HalfWidth => (Ci95[1] - Ci95[0]) / 2;

    public static SeedInterval Of(IReadOnlyList<double> values)
    {
        if (values.Count < 2) throw new ArgumentException($"an interval needs at least two values, got {values.Count}", nameof(values));
        var n = values.Count;
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = TQuantile(n - 1) * std / Math.Sqrt(n);
        return new SeedInterval(mean, std, [mean - half, mean + half]);
    }

    /// <summary>The two-sided 95 % quantile of Student's t with <paramref name="degreesOfFreedom"/> (12.706 for 1, 4.303 for 2, 1.960 in the limit).</summary>
    public static double TQuantile(int degreesOfFreedom) => StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (1 - Level) / 2);

    /// <summary>Whether this interval lies wholly below <paramref name="other"/>'s (lower is better for log loss): the intervals do not overlap.</summary>
    public bool Below(SeedInterval other) => Ci95[1] < other.Ci95[0];
}
