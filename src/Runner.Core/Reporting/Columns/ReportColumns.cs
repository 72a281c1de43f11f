using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting.Columns;

/// <summary>
/// Every column of the per-backbone tables and results.csv, each described once. Adding one: a <see cref="Column"/> field
/// here, its line in <see cref="All"/> (the order of results.csv, where new columns go last), and its name in the
/// template's <c>table</c> list if a table should show it (docs/architecture.md, "a report column").
/// </summary>
internal static class ReportColumns
{
    public static readonly Column Arch = new("arch", "Arch", "architecture", r => r.Backbone.Arch)
        { Align = "---", Csv = "arch_or_method", Ensemble = e => e.Method };

    public static readonly Column Weights = new("weights", "Weights", "pretrained weights: `none`, a store name such as `imagenet`, or a file",
        r => r.Backbone.Weights) { Align = "---", Csv = "weights_or_members", Ensemble = e => string.Join(" ", e.Members) };

    public static readonly Column ImageSize = new("image_size", "Image", "input side in pixels", r => r.Backbone.ImageSize) { Csv = "image_size" };

    public static readonly Column BatchSize = new("batch_size", "Batch",
        "training batch size as configured; the table prints `32→16` when CUDA out-of-memory retries halved it",
        r => r.Backbone.BatchSize)
    {
        Csv = "batch_size",
        Text = r => r.Backbone.Train.EffectiveBatchSize is { } e && e != r.Backbone.BatchSize
            ? $"{r.Backbone.BatchSize}→{e}"
            : Invariant(r.Backbone.BatchSize),
    };

    public static readonly Column EffectiveBatchSize = new("effective_batch_size", "Batch after retries",
        "batch size training ended with (smaller than `batch_size` after a CUDA out-of-memory retry; empty in older results)",
        r => r.Backbone.Train.EffectiveBatchSize);

    public static readonly Column Params = new("params", "Params", "parameter elements of the model with its new head", r => r.Backbone.Params)
        { Format = "N0", Csv = "params" };

    public static readonly Column TrainableParams = new("trainable_params", "Trainable",
        "parameter elements that trained (all unless `trainable` froze some)",
        r => r.Backbone.Train.TrainableParams ?? r.Backbone.Params) { Format = "N0" };

    public static readonly Column Gmacs = new("gmacs", "GMACs",
        "multiply–accumulates of one forward pass at `image_size`, billions", r => r.Backbone.Gmacs)
        { Format = "0.000", Csv = "gmacs" };

    public static readonly Column Epochs = new("epochs", "Epochs", "epochs run", r => r.Backbone.Train.Epochs) { Csv = "epochs" };

    public static readonly Column BestEpoch = new("best_epoch", "Best epoch",
        "1-based epoch whose weights were kept (early stopping); shown when some backbone kept an epoch other than its last",
        r => r.Backbone.Train.BestEpoch)
    {
        Text = r => (r.Backbone.Train.BestEpoch is { } e ? Invariant(e) : "–") + (r.Backbone.Train.StoppedEarly ? " (stopped early)" : ""),
        Shown = rows => rows.Any(r => r.Backbone.Train.StoppedEarly || (r.Backbone.Train.BestEpoch is { } e && e != r.Backbone.Train.Epochs)),
    };

    public static readonly Column StoppedEarly = new("stopped_early", "Stopped early",
        "early stopping ended training", r => r.Backbone.Train.StoppedEarly)
        { Align = ":---:", Text = r => r.Backbone.Train.StoppedEarly ? "yes" : "" };

    public static readonly Column EpochSeconds = new("epoch_seconds", "Seconds per epoch", "median wall time of an epoch's training pass",
        r => Statistics.Median(r.Backbone.Train.EpochSeconds))
        { Format = "0.00", Better = Better.Lower, Measured = Measured.Training, Csv = "epoch_seconds_median" };

    public static readonly Column EpochSecondsIqr = new("epoch_seconds_iqr", "IQR s", "interquartile range of the epoch times",
        r => Statistics.InterquartileRange(r.Backbone.Train.EpochSeconds))
        { Format = "0.00", Measured = Measured.Training, Csv = "epoch_seconds_iqr" };

    public static readonly Column EpochSecondsN = new("epoch_seconds_n", "n", "epochs timed", r => r.Backbone.Train.EpochSeconds.Count);

    public static readonly Column DataWaitShare = new("data_wait_share", "Data wait", "share of training time spent waiting for batches",
        r => r.Backbone.Train.EpochSeconds.Sum() is var total and > 0 ? r.Backbone.Train.DataWaitSeconds.Sum() / total : double.NaN)
        { Format = "0%", Measured = Measured.Training };

    public static readonly Column ImagesPerSecond = new("images_per_second", "Images/s", "training images per second over all epochs",
        r => r.Backbone.Train.ImagesPerSecond)
        { Format = "0.0", Better = Better.Higher, Measured = Measured.Training, Csv = "train_images_per_second" };

    public static readonly Column PeakGpuMemoryMb = new("peak_gpu_memory_mb", "Peak GPU MB",
        "most GPU memory (MB) the process held at an epoch's end, from nvidia-smi; shown when some backbone has it (never on the CPU)",
        r => r.Backbone.Train.PeakGpuMemoryMb)
        { Format = "N0", Measured = Measured.Training, Shown = rows => rows.Any(r => r.Backbone.Train.PeakGpuMemoryMb is not null) };

    public static readonly Column LatencyMs = new("latency_ms", "Median ms", "batch-1 inference latency, median of the timed calls",
        r => r.Batch1?.Median ?? double.NaN)
    {
        Format = "0.00", Better = Better.Lower, Measured = Measured.Timing, Csv = "latency_ms_median", Ensemble = e => e.LatencyMsSum,
    };

    public static readonly Column LatencyIqrMs = new("latency_iqr_ms", "IQR ms", "interquartile range of the batch-1 calls",
        r => r.Batch1?.Iqr ?? double.NaN) { Format = "0.00", Measured = Measured.Timing, Csv = "latency_ms_iqr" };

    public static readonly Column LatencyP95Ms = new("latency_p95_ms", "p95 ms", "95th percentile of the batch-1 calls",
        r => r.Batch1?.P95 ?? double.NaN) { Format = "0.00", Measured = Measured.Timing, Csv = "latency_ms_p95" };

    public static readonly Column LatencyN = new("latency_n", "n", "timed batch-1 calls", r => r.Batch1?.N) { Csv = "latency_n" };

    public static readonly Column ColdMs = new("cold_ms", "First call ms", "the first, untimed batch-1 call (lazy initialisation)",
        r => r.Batch1?.Cold ?? double.NaN) { Format = "0.0", Measured = Measured.Timing };

    public static readonly Column InferenceImagesPerSecond = new("inference_images_per_second", "Images/s",
        "inference images per second at the largest timed batch (`inference_batch`)", r => r.Inference.ImagesPerSecond)
        { Format = "0.0", Better = Better.Higher, Measured = Measured.Timing };

    public static readonly Column InferenceBatch = new("inference_batch", "At batch",
        "the batch size `inference_images_per_second` was timed at (text)",
        r => r.Inference.Batch);

    public static readonly Column AccuracyPerMs = new("accuracy_per_ms", "Accuracy per ms", "test accuracy divided by the batch-1 latency median",
        r => r.Backbone.Metrics.Test.Accuracy / (r.Batch1?.Median ?? double.NaN))
        { Format = "0.000", Better = Better.Higher, Measured = Measured.Timing };

    public static readonly Column TestLogLoss = new("test_log_loss", "Test log loss",
        "log loss on the test split", r => r.Backbone.Metrics.Test.LogLoss)
        { Format = "0.0000", Better = Better.Lower, Csv = "test_log_loss", Ensemble = e => e.Metrics.Test.LogLoss };

    public static readonly Column VersusBest = new("versus_best", "Δ vs {best} (95 % CI)",
        "paired bootstrap of the test log loss against the lowest one: `+0.0123 (+0.0050 to +0.0190) ✱` "
        + "(✱: significant at 95 %), `–` for the lowest itself",
        r => BootstrapLabel.Of(r.Backbone.Bootstrap));

    public static readonly Column TestAccuracy = new("test_accuracy", "Test accuracy",
        "fraction of the test split predicted right; on a repeat group's row (the inference table), the mean ± the 95 % t-interval over its seeds",
        r => r.Group?.Repeats.Test.Accuracy.Mean ?? r.Backbone.Metrics.Test.Accuracy)
    {
        Format = "0.0000", Better = Better.Higher, Csv = "test_accuracy", Ensemble = e => e.Metrics.Test.Accuracy,
        Text = r => r.Group?.Repeats.Test.Accuracy is { } a ? $"{Invariant(a.Mean, "0.0000")} ± {Invariant(a.HalfWidth, "0.0000")}" : null,
    };

    public static readonly Column TestEce = new("test_ece", "Test ECE", "expected calibration error on the test split (15 bins)",
        r => r.Backbone.Metrics.Test.Ece) { Format = "0.0000" };

    public static readonly Column TestAuc = new("test_auc", "Test AUC",
        "ROC AUC on the test split (two classes only)", r => r.Backbone.Metrics.Test.Auc)
        { Format = "0.0000", Csv = "test_auc", Ensemble = e => e.Metrics.Test.Auc };

    public static readonly Column ValidationLogLoss = new("validation_log_loss", "Validation log loss", "log loss on the validation split",
        r => r.Backbone.Metrics.Validation.LogLoss) { Format = "0.0000", Csv = "validation_log_loss", Ensemble = e => e.Metrics.Validation?.LogLoss };

    public static readonly Column TestN = new("test_n", "n", "test images scored", r => r.Backbone.Metrics.Test.N)
        { Csv = "test_n", Ensemble = e => e.Metrics.Test.N };

    public static readonly Column OnFront = new("on_front", "Front",
        "on the latency-vs-test-log-loss Pareto front of all configurations and ensembles (★; a repeat group by its seeds' mean)",
        r => r.OnFront) { Align = ":---:", Text = r => r.OnFront ? "★" : "" };

    public static readonly Column EstimatedSeconds = new("estimated_seconds", "Estimate s",
        "what `plan --estimate` predicted for the train task, seconds",
        r => r.Backbone.Train.EstimatedSeconds) { Format = "0.0", Measured = Measured.Training };

    public static readonly Column TaskSeconds = new("task_seconds", "Actual s", "the train task's wall-clock seconds",
        r => r.Backbone.Train.TaskSeconds) { Format = "0.0", Measured = Measured.Training };

    public static readonly Column EstimateRatio = new("estimate_ratio", "Actual ÷ estimate", "actual ÷ estimated train task seconds",
        r => r.Backbone.Train.TaskSeconds / r.Backbone.Train.EstimatedSeconds) { Format = "0.00", Measured = Measured.Training };

    public static readonly Column TrainedOn = MachineColumn("trained_on", "Trained on", "train_machine",
        "the machine that trained the backbone and measured its training times", r => r.Backbone.Train.Machine);

    public static readonly Column TimedOn = MachineColumn("timed_on", "Timed on", "timing_machine",
        "the machine that measured the backbone's inference times", r => r.Backbone.Timing.Machine);

    public static readonly Column PeakRssMb = new("peak_rss_mb", "Peak RSS MB",
        "largest resident set (MB) of the training process at an epoch's end, after a GC (`train.rss_mb`: the process's, so tasks running "
        + "beside it count too); shown when some backbone has it",
        r => r.Backbone.Train.RssMb is { Count: > 0 } rss ? rss.Max() : (double?)null)
    {
        Format = "N0", Measured = Measured.Training, Csv = "peak_rss_mb", Shown = rows => rows.Any(r => r.Backbone.Train.RssMb is { Count: > 0 }),
    };

    public static readonly Column Precision = new("precision", "Precision",
        "`precision` the backbone trained and was timed in (`fp32` in results made before the setting)", r => r.Backbone.Precision)
        { Align = "---", Csv = "precision" };

    public static readonly Column ChannelsLast = new("channels_last", "channels_last",
        "`true` when the backbone trained and was timed with NHWC strides (`channels_last: true`)", r => r.Backbone.ChannelsLast ? "true" : "false")
        { Align = "---", Csv = "channels_last" };

    public static readonly Column Compute = new("compute", "Compute",
        "`precision`, with `, channels_last` when set (e.g. `amp_bf16, channels_last`); shown when some backbone is not plain fp32",
        r => r.Backbone.ChannelsLast ? $"{r.Backbone.Precision}, channels_last" : r.Backbone.Precision)
        { Align = "---", Shown = rows => rows.Any(r => r.Backbone.Precision != Config.Precisions.Default || r.Backbone.ChannelsLast) };

    public static readonly Column Gpu = new("gpu", "GPU",
        "CUDA index of the GPU the backbone trained on (`--devices`); shown when some backbone trained on a GPU",
        r => r.Backbone.Train.Gpu?.Index) { Shown = rows => rows.Any(r => r.Backbone.Train.Gpu is not null) };

    public static readonly Column InferenceSamplesPerSecond = Throughput("inference_samples_per_second", "Inference samples/s",
        "`timing.throughput`: inference samples per second over the whole timed run", t => t.Inference.SamplesPerSecond,
        "0.0", Better.Higher, "inference_samples_per_second");

    public static readonly Column InferenceThroughputBatch = Throughput("inference_throughput_batch", "Inference batch",
        "`timing.throughput`: the inference batch that ran (smaller than `batch_size` after running out of CUDA memory)",
        t => t.Inference.BatchSize);

    public static readonly Column InferenceStepMs = Throughput("inference_step_ms", "Step ms",
        "`timing.throughput`: median ms of one inference step", t => t.Inference.StepMs, "0.00");

    public static readonly Column TrainSamplesPerSecond = Throughput("train_samples_per_second", "Train samples/s",
        "`timing.throughput`: training samples per second (forward, loss, backward, SGD step) over the whole timed run",
        t => t.Train.SamplesPerSecond, "0.0", Better.Higher, "train_samples_per_second");

    public static readonly Column TrainThroughputBatch = Throughput("train_throughput_batch", "Train batch",
        "`timing.throughput`: the training batch that ran", t => t.Train.BatchSize);

    public static readonly Column TrainStepMs = Throughput("train_step_ms", "Step ms",
        "`timing.throughput`: median ms of one training step", t => t.Train.StepMs, "0.00");

    public static readonly Column ForwardMs = Throughput("forward_ms", "Forward ms",
        "`timing.throughput` with `detail: true`: median ms of a training step's forward pass and loss", t => t.Train.ForwardMs, "0.00");

    public static readonly Column BackwardMs = Throughput("backward_ms", "Backward ms",
        "`timing.throughput` with `detail: true`: median ms of a training step's backward pass", t => t.Train.BackwardMs, "0.00");

    public static readonly Column OptimizerMs = Throughput("optimizer_ms", "Optimizer ms",
        "`timing.throughput` with `detail: true`: median ms of a training step's optimizer step", t => t.Train.OptimizerMs, "0.00");

    /// <summary>Every column; results.csv has those with a <see cref="Column.Csv"/> name, in this order.</summary>
    public static readonly IReadOnlyList<Column> All =
    [
        Arch, Weights, ImageSize, BatchSize, EffectiveBatchSize, Params, TrainableParams, Gmacs, Epochs, BestEpoch, StoppedEarly,
        EpochSeconds, EpochSecondsIqr, EpochSecondsN, DataWaitShare, ImagesPerSecond, PeakGpuMemoryMb,
        LatencyMs, LatencyIqrMs, LatencyP95Ms, LatencyN, ColdMs, InferenceImagesPerSecond, InferenceBatch, AccuracyPerMs,
        TestLogLoss, VersusBest, TestAccuracy, TestEce, TestAuc, ValidationLogLoss, TestN, OnFront,
        EstimatedSeconds, TaskSeconds, EstimateRatio, TrainedOn, TimedOn, PeakRssMb,
        Precision, ChannelsLast, Compute, Gpu, InferenceSamplesPerSecond, InferenceThroughputBatch, InferenceStepMs,
        TrainSamplesPerSecond, TrainThroughputBatch, TrainStepMs, ForwardMs, BackwardMs, OptimizerMs,
    ];

    /// <summary>The list of columns in docs/results.md (between <see cref="DocsBegin"/> and <see cref="DocsEnd"/>), from the descriptors.</summary>
    public static string Markdown() =>
        "| Field | results.csv | Heading | What |\n|---|---|---|---|\n" + string.Concat(All.Select(c =>
            $"| `{c.Name}` | {(c.Csv is null ? "" : $"`{c.Csv}`")} | {c.Header.Replace("{best}", "BEST", StringComparison.Ordinal)} | "
            + $"{c.Description} |\n"));

    public const string DocsBegin = "<!-- columns: generated from src/Runner.Core/Reporting/Columns/ReportColumns.cs -->";
    public const string DocsEnd = "<!-- end of columns -->";

    public static Column Named(string name) => All.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"no column '{name}'; the columns are: {string.Join(", ", All.Select(c => c.Name))}");

    /// <summary>A column naming the machine that measured some of a row's figures; shown when the report has several.</summary>
    private static Column MachineColumn(string name, string header, string csv, string what, Func<ReportRow, string?> id) =>
        new(name, header, $"{what}: `M1`, `M2`… of the report's machines in the tables, its id in results.csv; shown when the figures come "
            + "from more than one machine", id)
        {
            Align = "---", Csv = csv, Text = r => MachineLine.LabelOf(r.Machines, id(r)), Shown = rows => rows.Any(r => r.Machines.Count > 1),
        };

    /// <summary>A figure of <c>timing.throughput</c>, measured by the timing machine; shown when some backbone has it.</summary>
    private static Column Throughput(string name, string header, string what, Func<ThroughputResult, object?> value, string format = "",
        Better better = Better.None, string? csv = null) =>
        new(name, header, what, r => r.Backbone.Timing.Throughput is { } t ? value(t) : null)
        {
            Format = format, Better = better, Measured = Measured.Timing, Csv = csv,
            Shown = rows => rows.Any(r => r.Backbone.Timing.Throughput is { } t && value(t) is not null),
        };

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Invariant(double value, string format) => value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
