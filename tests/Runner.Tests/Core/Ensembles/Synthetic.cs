using Runner.Core.Ensembles;
using Runner.Core.Results;

namespace Runner.Tests.Core.Ensembles;

/// <summary>Member predictions for ensemble tests, made from a seeded generator.</summary>
internal static class Synthetic
{
    public static IReadOnlyList<int> Labels(int rows, int seed, int classes = 2)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToList();
    }

    /// <summary>
    /// A binary member whose logit is <paramref name="signal"/> · (±1 by label) plus its own Gaussian noise of
    /// <paramref name="noise"/>: members with different seeds err independently, so combining them helps.
    /// </summary>
    public static double[][] NoisyMember(IReadOnlyList<int> labels, double signal, double noise, int seed)
    {
        var random = new Random(seed);
        return labels.Select(y =>
        {
            var logit = signal * (y == 1 ? 1 : -1) + noise * Gaussian(random);
            var p = 1 / (1 + Math.Exp(-logit));
            return new[] { 1 - p, p };
        }).ToArray();
    }

    /// <summary>Random probability rows (any quality), <paramref name="classes"/> wide.</summary>
    public static double[][] RandomMember(int rows, int classes, Random random) =>
        Enumerable.Range(0, rows).Select(_ =>
        {
            var raw = Enumerable.Range(0, classes).Select(_ => Math.Exp(3 * Gaussian(random))).ToArray();
            return raw.Select(v => v / raw.Sum()).ToArray();
        }).ToArray();

    public static EnsembleSplit Split(IReadOnlyList<int> labels, string inputs, params double[][][] members)
    {
        var ids = labels.Select((_, i) => $"img{i}").ToList();
        return EnsembleSplit.From("validation",
            members.Select((m, j) => ($"m{j}", new SplitPredictions(ids, labels, m))).ToList(), inputs);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
