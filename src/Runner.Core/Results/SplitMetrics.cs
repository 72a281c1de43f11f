namespace Runner.Core.Results;

public sealed record SplitMetrics(double LogLoss, double Accuracy, double? Auc, int N)
{
    /// <summary>Counts, rows = true class, columns = predicted class (argmax), in the dataset's class order; null in older entries.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Confusion { get; init; }

    /// <summary>Precision, recall and support per class, in the dataset's class order; null in older entries.</summary>
    public IReadOnlyList<ClassMetrics>? PerClass { get; init; }

    /// <summary>Expected calibration error, 15 equal-width bins of top-1 confidence (<c>Metrics.ExpectedCalibrationError</c>); null in older entries.</summary>
    public double? Ece { get; init; }
}
