namespace Runner.Core.Evaluation;

/// <summary>
/// Paired bootstrap over test images of the mean log-loss difference between two models scored on the same images:
/// resample image indices with replacement <see cref="Resamples"/> times (a fixed seed, so the same predictions give the
/// same interval), take the mean of (other − reference) per resample, and report the 2.5 % and 97.5 % percentiles.
/// The difference is significant at 95 % when that interval excludes 0.
/// </summary>
internal static class PairedBootstrap
{
    public const int Resamples = 2000;
    public const int Seed = 20240601;

    /// <param name="reference">Per-image log losses of the reference (the best model).</param>
    /// <param name="other">Per-image log losses of the model compared with it, same images in the same order.</param>
    public static BootstrapResult Compare(IReadOnlyList<double> reference, IReadOnlyList<double> other, int resamples = Resamples, int seed = Seed)
    {
        if (reference.Count != other.Count || reference.Count == 0)
            throw new ArgumentException($"paired samples need the same, non-zero number of images ({reference.Count} vs {other.Count})");
        var n = reference.Count;
        var differences = new double[n];
        for (var i = 0; i < n; i++) differences[i] = other[i] - reference[i];
        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++) sum += differences[random.Next(n)];
            means[r] = sum / n;
        }
        var lo = Util.Statistics.Quantile(means, 0.025);
        var hi = Util.Statistics.Quantile(means, 0.975);
        return new BootstrapResult(differences.Average(), [lo, hi], lo > 0 || hi < 0, resamples, seed);
    }
}
