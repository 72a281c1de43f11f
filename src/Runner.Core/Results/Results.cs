namespace Runner.Core.Results;

// Artifacts the torch tasks write and the report reads. File names are part of the cache layout.

/// <summary><c>train.json</c> of a train task.</summary>
public sealed record TrainResult(
    int Classes,
    int Epochs,
    IReadOnlyList<double> EpochSeconds,
    IReadOnlyList<double> DataWaitSeconds,
    double ImagesPerSecond,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> ValLogLoss,
    long Params,
    double GMacs,
    long CheckpointBytes)
{
    public const string FileName = "train.json";
    public const string Checkpoint = "model.bin";
}

public sealed record SplitMetrics(double LogLoss, double Accuracy, double? Auc, int N);

/// <summary><c>eval.json</c> of an eval task.</summary>
public sealed record EvalResult(SplitMetrics Validation, SplitMetrics Test)
{
    public const string FileName = "eval.json";
    public const string Predictions = "predictions.json";
}

/// <summary>Per-split predicted class probabilities, rows aligned with <see cref="Ids"/>.</summary>
public sealed record SplitPredictions(IReadOnlyList<string> Ids, IReadOnlyList<int> Labels, IReadOnlyList<double[]> Probabilities);

public sealed record LatencyStats(double Median, double P95, double Iqr, int N, double Cold);

/// <summary><c>timing.json</c> of a time task; latency keyed by batch size.</summary>
public sealed record TimingResult(
    IReadOnlyDictionary<string, LatencyStats> LatencyMs,
    IReadOnlyDictionary<string, double> ImagesPerSecond,
    EnvironmentInfo Environment)
{
    public const string FileName = "timing.json";
}

public sealed record EnvironmentInfo(string Device, string DeviceName, int Threads, string Torchsharp, string Libtorch, string? Commit = null);

// results.json — the contract other tools read (DESIGN.md).

public sealed record ExperimentResults(
    string Experiment,
    string RunnerVersion,
    DateTime Created,
    EnvironmentInfo Environment,
    DatasetSummary Dataset,
    IReadOnlyList<BackboneResult> Backbones,
    IReadOnlyList<object> Ensembles)
{
    public const string FileName = "results.json";
}

/// <param name="Skipped">Files left out under <c>dataset.on_bad_image: skip</c>, each with its problem; empty when none were.</param>
public sealed record DatasetSummary(
    string Name, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, int> Splits, IReadOnlyList<Runner.Core.Data.FileProblem>? Skipped = null);

public sealed record BackboneResult(
    string Name, string Arch, string Weights, int ImageSize, int BatchSize, long Params, double Gmacs, long CheckpointBytes,
    TrainSummary Train, EvalResult Metrics, TimingSummary Timing);

public sealed record TrainSummary(
    int Epochs, IReadOnlyList<double> EpochSeconds, IReadOnlyList<double> DataWaitSeconds, double ImagesPerSecond,
    IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValLogLoss);

public sealed record TimingSummary(IReadOnlyDictionary<string, LatencyStats> LatencyMs, IReadOnlyDictionary<string, double> ImagesPerSecond);
