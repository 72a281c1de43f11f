using Runner.Core.Evaluation;

namespace Runner.Core.Ensembles;

/// <summary>
/// <c>weighted</c>: Σ w_m · p_m with w ≥ 0, Σ w = 1, minimising log loss on the rows it is fitted on. Log loss of a
/// mixture is convex in w, so Frank–Wolfe over the simplex with an exact line search, started at the best single member,
/// only ever improves on it (each step lowers the objective); the result is the best member's one-hot weights if nothing beats it.
/// </summary>
internal sealed class WeightedEnsemble : IEnsembleMethod
{
    private const int MaxIterations = 500;

    public IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default) => new Fitted(FitWeights(rows.Members, rows.Labels));

    public static double[] FitWeights(IReadOnlyList<double[][]> members, IReadOnlyList<int> labels)
    {
        var m = members.Count;
        var memberLoss = members.Select(p => Metrics.LogLoss(p, labels)).ToArray();
        var best = Array.IndexOf(memberLoss, memberLoss.Min());
        // p_m(true class) per row: all the objective, −mean log Σ w_m p_m, needs.
        var truth = members.Select(p => labels.Select((y, i) => Math.Max(p[i][y], 1e-15)).ToArray()).ToArray();
        var w = OneHot(m, best);
        var mixed = truth[best].ToArray();
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var gradient = truth.Select(t => -Ratio(t, mixed)).ToArray();
            var vertex = Array.IndexOf(gradient, gradient.Min());
            var gap = w.Select((wm, j) => wm * gradient[j]).Sum() - gradient[vertex];
            if (gap < 1e-9) break;
            // Along w + γ(e_vertex − w) the mixture is q + γ(t_vertex − q); the objective is convex in γ.
            var direction = truth[vertex].Select((t, i) => t - mixed[i]).ToArray();
            var step = LineSearch(mixed, direction);
            if (step <= 0) break;
            for (var j = 0; j < m; j++) w[j] = (1 - step) * w[j] + (j == vertex ? step : 0);
            for (var i = 0; i < mixed.Length; i++) mixed[i] += step * direction[i];
        }
        // Guard the promise on the metric itself (Kaggle's clipping included): never worse than the best member.
        return Metrics.LogLoss(Mix(members, w), labels) <= memberLoss[best] ? w : OneHot(m, best);
    }

    private static double Ratio(double[] numerator, double[] denominator)
    {
        var sum = 0.0;
        for (var i = 0; i < numerator.Length; i++) sum += numerator[i] / denominator[i];
        return sum / numerator.Length;
    }

    /// <summary>The γ in [0, 1] minimising −mean log(q + γ d), by bisection on its (increasing) derivative.</summary>
    private static double LineSearch(double[] q, double[] d)
    {
        double Slope(double gamma)
        {
            var sum = 0.0;
            for (var i = 0; i < q.Length; i++) sum -= d[i] / (q[i] + gamma * d[i]);
            return sum / q.Length;
        }
        if (Slope(0) >= 0) return 0;
        if (Slope(1) <= 0) return 1;
        double low = 0, high = 1;
        for (var k = 0; k < 50; k++)
        {
            var middle = (low + high) / 2;
            if (Slope(middle) < 0) low = middle; else high = middle;
        }
        return low;
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
