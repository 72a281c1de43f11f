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
    /// <summary>1-based epoch whose weights the checkpoint holds (the lowest validation log loss); null in old entries.</summary>
    public int? BestEpoch { get; init; }
    /// <summary>Early stopping ended training before <see cref="Epochs"/>.</summary>
    public bool StoppedEarly { get; init; }
    /// <summary>Parameter elements that trained (all of them unless <c>trainable</c> freezes some).</summary>
    public long? TrainableParams { get; init; }
    /// <summary>Resident set size of the process (MB) at the end of each epoch; null in old entries.</summary>
    public IReadOnlyList<double>? RssMb { get; init; }
    /// <summary>Batch size training ended with: smaller than the configured one after a CUDA out-of-memory retry; null in old entries.</summary>
    public int? EffectiveBatchSize { get; init; }
    /// <summary>Most GPU memory (MB) the process held at an epoch's end (nvidia-smi); null on the CPU and in old entries.</summary>
    public double? PeakGpuMemoryMb { get; init; }
    /// <summary>One record per phase of a backbone with <c>phases:</c>; null without them.</summary>
    public IReadOnlyList<PhaseRecord>? Phases { get; init; }
    /// <summary>What <c>plan --estimate</c> predicted for this task on this machine; null when no throughput probe had been measured.</summary>
    public double? EstimatedSeconds { get; init; }
    /// <summary>Wall-clock seconds of the whole task (model set-up, epochs, validation, checkpoint); null when it resumed.</summary>
    public double? TaskSeconds { get; init; }
    public const string FileName = "train.json";
    public const string Checkpoint = "model.bin";
}

public sealed record SplitMetrics(double LogLoss, double Accuracy, double? Auc, int N)
{
    /// <summary>Counts, rows = true class, columns = predicted class (argmax), in the dataset's class order; null in older entries.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Confusion { get; init; }

    /// <summary>Precision, recall and support per class, in the dataset's class order; null in older entries.</summary>
    public IReadOnlyList<ClassMetrics>? PerClass { get; init; }

    /// <summary>Expected calibration error, 15 equal-width bins of top-1 confidence (<c>Metrics.ExpectedCalibrationError</c>); null in older entries.</summary>
    public double? Ece { get; init; }
}

/// <summary>One class's precision and recall (null when 0 / 0) and support (how many rows are that class).</summary>
public sealed record ClassMetrics(string Class, double? Precision, double? Recall, int Support);

/// <summary><c>eval.json</c> of an eval task.</summary>
public sealed record EvalResult(SplitMetrics Validation, SplitMetrics Test)
{
    public const string FileName = "eval.json";
    public const string Predictions = "predictions.json";

    /// <summary>The Kaggle submission an eval task writes when the dataset has a <c>predict</c> folder.</summary>
    public const string Submission = "submission.csv";

    /// <summary>Test-time augmentation the predictions used: <c>none</c> or <c>hflip</c> (null in older entries).</summary>
    public string? Tta { get; init; }

    /// <summary>Rows of <see cref="Submission"/> (images of <c>dataset.predict</c>); null when no submission was written.</summary>
    public int? SubmissionRows { get; init; }
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

public sealed record EnvironmentInfo(string Device, string DeviceName, int Threads, string Torchsharp, string Libtorch, string? Commit = null)
{
    /// <summary>GPU driver version (nvidia-smi); null on the CPU and in older entries.</summary>
    public string? Driver { get; init; }
    /// <summary>CUDA runtime and cuDNN versions libtorch loaded; null on the CPU, in older entries, and when they could not be read.</summary>
    public string? Cuda { get; init; }
    public string? Cudnn { get; init; }
}

// results.json — the contract other tools read (DESIGN.md).

public sealed record ExperimentResults(
    string Experiment,
    string RunnerVersion,
    DateTime Created,
    EnvironmentInfo Environment,
    DatasetSummary Dataset,
    IReadOnlyList<BackboneResult> Backbones,
    IReadOnlyList<EnsembleResult> Ensembles)
{
    public const string FileName = "results.json";

    /// <summary>One entry per repeat group (a configuration trained with several seeds); null when nothing is repeated.</summary>
    public IReadOnlyList<RepeatGroupResult>? RepeatGroups { get; init; }
}

/// <summary>Which entry of <c>backbones</c> a variant came from: base name, repeat group, seed (when repeated) and swept values.</summary>
public sealed record VariantResult(string Base, string Group, int? Seed, IReadOnlyDictionary<string, object> Swept);

/// <summary>A configuration repeated over seeds: its variants (one per seed) and the t-intervals over them.</summary>
public sealed record RepeatGroupResult(string Name, string Base, IReadOnlyDictionary<string, object> Swept, IReadOnlyList<string> Variants, RepeatStats Repeats);

/// <summary>
/// <c>repeats</c> in results.json: n seeds; the test log loss, test accuracy and seconds per epoch (each variant's median
/// epoch) as mean, sample std and 95 % Student t-interval of the mean over the seeds.
/// </summary>
public sealed record RepeatStats(int N, IReadOnlyList<int> Seeds, RepeatTest Test, Evaluation.SeedInterval SecondsPerEpoch);

public sealed record RepeatTest(Evaluation.SeedInterval LogLoss, Evaluation.SeedInterval Accuracy);

/// <param name="Skipped">Files left out under <c>dataset.on_bad_image: skip</c>, each with its problem; empty when none were.</param>
public sealed record DatasetSummary(
    string Name, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, int> Splits, IReadOnlyList<Runner.Core.Data.FileProblem>? Skipped = null);

public sealed record BackboneResult(
    string Name, string Arch, string Weights, int ImageSize, int BatchSize, long Params, double Gmacs, long CheckpointBytes,
    TrainSummary Train, EvalResult Metrics, TimingSummary Timing)
{
    /// <summary>Set when matrix or repeats made this backbone a variant.</summary>
    public VariantResult? Variant { get; init; }
    /// <summary>Paired bootstrap of the test log loss against the best backbone or ensemble; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }
}

public sealed record TrainSummary(
    int Epochs, IReadOnlyList<double> EpochSeconds, IReadOnlyList<double> DataWaitSeconds, double ImagesPerSecond,
    IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValLogLoss)
{
    /// <summary>1-based epoch the checkpoint holds; null when train.json predates it.</summary>
    public int? BestEpoch { get; init; }
    public bool StoppedEarly { get; init; }
    public long? TrainableParams { get; init; }
    /// <summary>Resident set size (MB) at the end of each epoch.</summary>
    public IReadOnlyList<double>? RssMb { get; init; }
    /// <summary>Batch size after CUDA out-of-memory halving (equals the configured one when none happened).</summary>
    public int? EffectiveBatchSize { get; init; }
    /// <summary>Most GPU memory (MB) the process held at an epoch's end; null on the CPU.</summary>
    public double? PeakGpuMemoryMb { get; init; }
    /// <summary>One record per phase of a backbone with <c>phases:</c>; null without them.</summary>
    public IReadOnlyList<PhaseRecord>? Phases { get; init; }
    /// <summary>The train task's estimate (<c>plan --estimate</c>) and its actual wall-clock seconds; null when unknown.</summary>
    public double? EstimatedSeconds { get; init; }
    public double? TaskSeconds { get; init; }
}

public sealed record TimingSummary(IReadOnlyDictionary<string, LatencyStats> LatencyMs, IReadOnlyDictionary<string, double> ImagesPerSecond);

/// <summary>
/// One ensemble group in <c>results.json</c>. Stackers fit on the validation split, so <see cref="EnsembleMetrics.Test"/>
/// is the honest figure; <see cref="EnsembleMetrics.Validation"/> is what the fit saw.
/// </summary>
/// <param name="LatencyMsSum">Sum of the members' batch-1 latency medians (the ensemble's inference cost); null when a member has no batch-1 timing.</param>
public sealed record EnsembleResult(string Name, string Method, IReadOnlyList<string> Members, EnsembleMetrics Metrics, double? LatencyMsSum)
{
    /// <summary>What the ensemble combines: <c>logits</c>, <c>probabilities</c> or <c>features</c>.</summary>
    public string? Inputs { get; init; }
    /// <summary>Hidden layer sizes of a <c>stacking</c> MLP.</summary>
    public IReadOnlyList<int>? Hidden { get; init; }
    /// <summary>Member weights of a <c>weighted</c> ensemble, keyed by member name.</summary>
    public IReadOnlyDictionary<string, double>? Weights { get; init; }
    /// <summary>Member with the lowest test log loss.</summary>
    public string? BestMember { get; init; }
    /// <summary>Best member's test log loss minus the ensemble's: positive means the ensemble is better.</summary>
    public double? GainOverBestMember { get; init; }
    /// <summary>Paired bootstrap of the test log loss against the best backbone or ensemble; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }
}

public sealed record EnsembleMetrics(SplitMetrics Test)
{
    public SplitMetrics? Validation { get; init; }
}
