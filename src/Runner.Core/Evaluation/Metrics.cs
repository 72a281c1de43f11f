using Runner.Core.Results;

namespace Runner.Core.Evaluation;

/// <summary>Classification metrics on predicted probabilities (rows = examples, columns = classes).</summary>
public static class Metrics
{
    /// <summary>Kaggle's log loss: probabilities clipped to [1e-15, 1 − 1e-15], rows renormalised, mean −log p(true class).</summary>
    public static double LogLoss(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        var total = 0.0;
        for (var i = 0; i < labels.Count; i++) total += RowLogLoss(probabilities[i], labels[i]);
        return labels.Count == 0 ? double.NaN : total / labels.Count;
    }

    /// <summary>One image's term of <see cref="LogLoss"/> (what the paired bootstrap resamples).</summary>
    public static double RowLogLoss(double[] row, int label)
    {
        const double eps = 1e-15;
        var sum = row.Sum(p => Math.Clamp(p, eps, 1 - eps));
        return -Math.Log(Math.Clamp(row[label], eps, 1 - eps) / sum);
    }

    public static double Accuracy(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
            if (ArgMax(probabilities[i]) == labels[i]) correct++;
        return labels.Count == 0 ? double.NaN : (double)correct / labels.Count;
    }

    /// <summary>
    /// ROC AUC of class 1 versus class 0 (Mann–Whitney, ties counted half); null unless both classes occur, NaN when a score
    /// is not finite (a diverged model: its scores do not rank).
    /// </summary>
    public static double? BinaryAuc(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        if (probabilities.Count == 0 || probabilities[0].Length != 2) return null;
        if (probabilities.Any(row => !double.IsFinite(row[1]))) return labels.Distinct().Count() == 2 ? double.NaN : null;
        var ranked = labels.Select((label, i) => (score: probabilities[i][1], label)).OrderBy(x => x.score).ToList();
        double positives = ranked.Count(x => x.label == 1), negatives = ranked.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        var rankSum = 0.0;
        for (var i = 0; i < ranked.Count;)
        {
            var j = i + 1;
            while (j < ranked.Count && ranked[j].score == ranked[i].score) j++;
            var averageRank = (i + j + 1) / 2.0; // 1-based ranks i+1 … j
            rankSum += averageRank * ranked.Skip(i).Take(j - i).Count(x => x.label == 1);
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>
    /// Counts per (true class, predicted class): <c>confusion[t][p]</c>, rows = true class, columns = predicted class (argmax,
    /// the first class on ties, as <see cref="Accuracy"/>), both in class index order (the manifest's classes).
    /// </summary>
    public static int[][] Confusion(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels, int classes)
    {
        var matrix = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"label {labels[i]} of row {i} is not a class index below {classes}");
            matrix[labels[i]][ArgMax(probabilities[i])]++;
        }
        return matrix;
    }

    /// <summary>
    /// Precision (of the rows predicted as the class, the share that are it), recall (of the rows that are the class, the share
    /// predicted as it) and support (rows that are the class) per class, from a <see cref="Confusion"/> matrix. Precision is null
    /// when nothing was predicted as the class, recall when the class does not occur (0 / 0).
    /// </summary>
    public static IReadOnlyList<ClassMetrics> PerClass(int[][] confusion, IReadOnlyList<string> classNames)
    {
        var result = new List<ClassMetrics>(confusion.Length);
        for (var c = 0; c < confusion.Length; c++)
        {
            var truePositives = confusion[c][c];
            var support = confusion[c].Sum();
            var predicted = confusion.Sum(row => row[c]);
            result.Add(new ClassMetrics(
                c < classNames.Count ? classNames[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture),
                predicted == 0 ? null : (double)truePositives / predicted,
                support == 0 ? null : (double)truePositives / support,
                support));
        }
        return result;
    }

    /// <summary>Number of confidence bins of <see cref="ExpectedCalibrationError"/>.</summary>
    public const int EceBins = 15;

    /// <summary>
    /// Expected calibration error (Guo et al. 2017) of the top-1 prediction. Each row's confidence is its largest probability
    /// (as predicted: softmax / sigmoid rows sum to 1) and it is correct when that class (the first on ties) is the true one. Rows fall into
    /// <paramref name="bins"/> equal-width bins over confidence: bin b holds confidences in (b/B, (b+1)/B] (a confidence of 0 goes to
    /// the first bin). ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b| over non-empty bins: 0 for a perfectly calibrated model,
    /// at most 1. NaN when there are no rows.
    /// </summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels, int bins = EceBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (labels.Count == 0) return double.NaN;
        var count = new int[bins];
        var correct = new double[bins];
        var confidence = new double[bins];
        for (var i = 0; i < labels.Count; i++)
        {
            var row = probabilities[i];
            var predicted = ArgMax(row);
            var p = row[predicted];
            var bin = Math.Clamp((int)Math.Ceiling(p * bins) - 1, 0, bins - 1);
            count[bin]++;
            confidence[bin] += p;
            if (predicted == labels[i]) correct[bin]++;
        }
        var ece = 0.0;
        for (var b = 0; b < bins; b++)
            if (count[b] > 0)
                ece += (double)count[b] / labels.Count * Math.Abs(correct[b] / count[b] - confidence[b] / count[b]);
        return ece;
    }

    /// <summary>Log loss, accuracy and AUC; with <paramref name="classNames"/> (the manifest's classes) also the confusion matrix, per-class precision/recall and ECE.</summary>
    public static SplitMetrics Summarize(SplitPredictions predictions, IReadOnlyList<string>? classNames = null)
    {
        var metrics = new SplitMetrics(
            LogLoss(predictions.Probabilities, predictions.Labels),
            Accuracy(predictions.Probabilities, predictions.Labels),
            BinaryAuc(predictions.Probabilities, predictions.Labels),
            predictions.Labels.Count);
        if (classNames is null) return metrics;
        var confusion = Confusion(predictions.Probabilities, predictions.Labels, classNames.Count);
        return metrics with
        {
            Confusion = confusion,
            PerClass = PerClass(confusion, classNames),
            Ece = ExpectedCalibrationError(predictions.Probabilities, predictions.Labels),
        };
    }

    /// <summary>The first class with the largest probability.</summary>
    public static int ArgMax(double[] row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }
}
