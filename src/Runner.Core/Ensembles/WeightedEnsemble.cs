using Runner.Core.Evaluation;

namespace Runner.Core.Ensembles;

/// <summary>
/// <c>weighted</c>: Σ w_m · p_m with w ≥ 0, Σ w = 1, minimising log loss on the rows it is fitted on. Log loss of a
/// mixture is convex in w, so Frank–Wolfe over the simplex with an exact line search, started at the best single member,
/// only ever improves on it; the result is the best member's one-hot weights if nothing beats it.
/// </summary>
public sealed class WeightedEnsemble : IEnsembleMethod
{
    private const int MaxIterations = 300;

    public IFittedEnsemble Fit(EnsembleSplit rows, int seed) => new Fitted(FitWeights(rows.Members, rows.Labels));

    public static double[] FitWeights(IReadOnlyList<double[][]> members, IReadOnlyList<int> labels)
    {
        var m = members.Count;
        var memberLoss = members.Select(p => Metrics.LogLoss(p, labels)).ToArray();
        var best = Array.IndexOf(memberLoss, memberLoss.Min());
        // p_m(true class) per row: all the objective needs.
        var truth = members.Select(p => labels.Select((y, i) => p[i][y]).ToArray()).ToArray();
        var w = new double[m];
        w[best] = 1;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var mixed = MixTruth(truth, w);
            var gradient = truth.Select(t => -t.Select((v, i) => v / mixed[i]).Average()).ToArray();
            var vertex = Array.IndexOf(gradient, gradient.Min());
            var gap = w.Select((wm, j) => wm * gradient[j]).Sum() - gradient[vertex];
            if (gap < 1e-10) break;
            var direction = w.Select((wm, j) => (j == vertex ? 1 : 0) - wm).ToArray();
            var step = LineSearch(gamma => Objective(truth, w.Select((wm, j) => wm + gamma * direction[j]).ToArray()));
            if (step <= 0) break;
            w = w.Select((wm, j) => wm + step * direction[j]).ToArray();
        }
        // Guard the promise on the metric itself (Kaggle's clipping included): never worse than the best member.
        return Metrics.LogLoss(Mix(members, w), labels) <= memberLoss[best] ? w : OneHot(m, best);
    }

    public static double[][] Mix(IReadOnlyList<double[][]> members, IReadOnlyList<double> weights)
    {
        var rows = members[0].Length;
        var classes = rows == 0 ? 0 : members[0][0].Length;
        var result = new double[rows][];
        for (var i = 0; i < rows; i++)
        {
            var row = new double[classes];
            for (var j = 0; j < members.Count; j++)
                for (var c = 0; c < classes; c++)
                    row[c] += weights[j] * members[j][i][c];
            result[i] = row;
        }
        return result;
    }

    private static double[] MixTruth(double[][] truth, IReadOnlyList<double> w) =>
        Enumerable.Range(0, truth[0].Length).Select(i => Math.Max(truth.Select((t, j) => w[j] * t[i]).Sum(), 1e-15)).ToArray();

    private static double Objective(double[][] truth, IReadOnlyList<double> w) => -MixTruth(truth, w).Select(v => Math.Log(v)).Average();

    /// <summary>Golden-section search for the minimum of a convex function on [0, 1]; 0 unless a step improves.</summary>
    private static double LineSearch(Func<double, double> f)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = 0, b = 1;
        for (var k = 0; k < 60; k++)
        {
            var c = b - ratio * (b - a);
            var d = a + ratio * (b - a);
            if (f(c) <= f(d)) b = d; else a = c;
        }
        var gamma = (a + b) / 2;
        return f(gamma) < f(0) ? gamma : 0;
    }

    private static double[] OneHot(int length, int index)
    {
        var w = new double[length];
        w[index] = 1;
        return w;
    }

    private sealed class Fitted(double[] weights) : IFittedEnsemble
    {
        public IReadOnlyList<double> MemberWeights => weights;
        public double[][] Predict(EnsembleSplit split) => Mix(split.Members, weights);
    }
}
