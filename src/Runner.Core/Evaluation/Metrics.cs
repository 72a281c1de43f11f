using Runner.Core.Results;

namespace Runner.Core.Evaluation;

/// <summary>Classification metrics on predicted probabilities (rows = examples, columns = classes).</summary>
public static class Metrics
{
    /// <summary>Kaggle's log loss: probabilities clipped to [1e-15, 1 − 1e-15], rows renormalised, mean −log p(true class).</summary>
    public static double LogLoss(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        const double eps = 1e-15;
        var total = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            var row = probabilities[i];
            var sum = row.Sum(p => Math.Clamp(p, eps, 1 - eps));
            total -= Math.Log(Math.Clamp(row[labels[i]], eps, 1 - eps) / sum);
        }
        return labels.Count == 0 ? double.NaN : total / labels.Count;
    }

    public static double Accuracy(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
            if (ArgMax(probabilities[i]) == labels[i]) correct++;
        return labels.Count == 0 ? double.NaN : (double)correct / labels.Count;
    }

    /// <summary>ROC AUC of class 1 versus class 0 (Mann–Whitney, ties counted half); null unless both classes occur.</summary>
    public static double? BinaryAuc(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        if (probabilities.Count == 0 || probabilities[0].Length != 2) return null;
        var ranked = labels.Select((label, i) => (score: probabilities[i][1], label)).OrderBy(x => x.score).ToList();
        double positives = ranked.Count(x => x.label == 1), negatives = ranked.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        var rankSum = 0.0;
        for (var i = 0; i < ranked.Count;)
        {
            var j = i;
            while (j < ranked.Count && ranked[j].score == ranked[i].score) j++;
            var averageRank = (i + j + 1) / 2.0; // 1-based ranks i+1 … j
            rankSum += averageRank * ranked.Skip(i).Take(j - i).Count(x => x.label == 1);
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    public static SplitMetrics Summarize(SplitPredictions predictions) => new(
        LogLoss(predictions.Probabilities, predictions.Labels),
        Accuracy(predictions.Probabilities, predictions.Labels),
        BinaryAuc(predictions.Probabilities, predictions.Labels),
        predictions.Labels.Count);

    private static int ArgMax(double[] row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }
}
