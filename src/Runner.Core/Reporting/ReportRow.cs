using System.Globalization;
using Runner.Core.Reporting.Plots;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>One backbone's headline figures: medians for times, test split for quality.</summary>
internal sealed record ReportRow(
    string Name, string Arch, string Weights, int ImageSize, int BatchSize, long Params, double Gmacs, int Epochs,
    double EpochSeconds, double ImagesPerSecond,
    double LatencyMs, double LatencyIqrMs, double LatencyP95Ms, int LatencyN, double ColdMs,
    double TestLogLoss, double TestAccuracy, double? TestAuc, int TestN, double ValidationLogLoss)
{
    /// <summary>The batch size, or "configured→effective" when CUDA out-of-memory retries halved it.</summary>
    public string BatchLabel => EffectiveBatchSize is { } e && e != BatchSize ? $"{BatchSize}→{e}" : BatchSize.ToString(CultureInfo.InvariantCulture);
    public int? EffectiveBatchSize { get; init; }
    public double? PeakGpuMemoryMb { get; init; }
    /// <summary><c>precision</c> and <c>channels_last</c> as one label, e.g. "amp_bf16, channels_last".</summary>
    public string Compute { get; init; } = Config.Precisions.Default;
    /// <summary>The CUDA index of the GPU it trained on; null on the CPU.</summary>
    public int? Gpu { get; init; }
    /// <summary><c>timing.throughput</c>'s measurements; null when not asked for.</summary>
    public ThroughputResult? Throughput { get; init; }
    /// <summary>Interquartile range of the epoch times and how many epochs were timed.</summary>
    public double EpochSecondsIqr { get; init; } = double.NaN;
    public int EpochSecondsN { get; init; }
    /// <summary>Share of training time spent waiting for batches (data wait seconds / epoch seconds, all epochs).</summary>
    public double DataWaitShare { get; init; } = double.NaN;
    /// <summary>1-based epoch whose weights were kept; null in older results.</summary>
    public int? BestEpoch { get; init; }
    public bool StoppedEarly { get; init; }
    /// <summary>Parameter elements that trained (all of them when results.json does not say).</summary>
    public long TrainableParams { get; init; }
    public double? TestEce { get; init; }
    /// <summary>Inference images per second at the largest timed batch (<see cref="InferenceBatch"/>), else 1000 / batch-1 median.</summary>
    public double InferenceImagesPerSecond { get; init; } = double.NaN;
    public string InferenceBatch { get; init; } = "1";
    /// <summary>Test accuracy divided by the batch-1 latency median (ms).</summary>
    public double AccuracyPerMs => TestAccuracy / LatencyMs;
    /// <summary>On the latency-vs-test-log-loss Pareto front of all backbones and ensembles.</summary>
    public bool OnFront { get; init; }
    /// <summary>Test-split classes in dataset order, for the per-backbone details (empty in older results).</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
    /// <summary>Test confusion matrix and per-class precision/recall, one line per true class (empty in older results).</summary>
    public IReadOnlyList<ClassLine> ClassLines { get; init; } = [];
    /// <summary>Per-epoch training figures.</summary>
    public IReadOnlyList<EpochLine> EpochLines { get; init; } = [];
    /// <summary>One record per training phase (<c>phases:</c>); empty without them.</summary>
    public IReadOnlyList<PhaseRecord> Phases { get; init; } = [];
    /// <summary>The train task's estimate and actual wall-clock seconds (null when unknown), and actual ÷ estimate.</summary>
    public double? EstimatedSeconds { get; init; }
    public double? TaskSeconds { get; init; }
    public double? EstimateRatio => TaskSeconds / EstimatedSeconds;
    /// <summary>This backbone's loss-per-epoch plot; null when plots were not rendered.</summary>
    public PlotFile? EpochPlot { get; init; }
    /// <summary>Paired bootstrap against the best test log loss; null for the best itself.</summary>
    public Evaluation.BootstrapResult? Bootstrap { get; init; }
    /// <summary>The bootstrap as the log-loss table prints it (see <see cref="BootstrapLabel"/>).</summary>
    public string VersusBest => BootstrapLabel.Of(Bootstrap);

    public static LatencyStats? Batch1(BackboneResult b) =>
        b.Timing.LatencyMs.TryGetValue("1", out var l) ? l : b.Timing.LatencyMs.Values.FirstOrDefault();

    public static ReportRow From(BackboneResult b, bool onFront = false, PlotFile? epochPlot = null)
    {
        var latency = Batch1(b);
        var (batch, throughput) = Inference(b, latency);
        return new ReportRow(
            b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, b.Params, b.Gmacs, b.Train.Epochs,
            Statistics.Median(b.Train.EpochSeconds), b.Train.ImagesPerSecond,
            latency?.Median ?? double.NaN, latency?.Iqr ?? double.NaN, latency?.P95 ?? double.NaN, latency?.N ?? 0, latency?.Cold ?? double.NaN,
            b.Metrics.Test.LogLoss, b.Metrics.Test.Accuracy, b.Metrics.Test.Auc, b.Metrics.Test.N, b.Metrics.Validation.LogLoss)
        {
            EffectiveBatchSize = b.Train.EffectiveBatchSize,
            PeakGpuMemoryMb = b.Train.PeakGpuMemoryMb,
            Compute = b.ChannelsLast ? $"{b.Precision}, channels_last" : b.Precision,
            Gpu = b.Train.Gpu?.Index,
            Throughput = b.Timing.Throughput,
            EpochSecondsIqr = Statistics.InterquartileRange(b.Train.EpochSeconds),
            EpochSecondsN = b.Train.EpochSeconds.Count,
            DataWaitShare = b.Train.EpochSeconds.Sum() is var total and > 0 ? b.Train.DataWaitSeconds.Sum() / total : double.NaN,
            BestEpoch = b.Train.BestEpoch,
            StoppedEarly = b.Train.StoppedEarly,
            TrainableParams = b.Train.TrainableParams ?? b.Params,
            TestEce = b.Metrics.Test.Ece,
            InferenceImagesPerSecond = throughput,
            InferenceBatch = batch,
            OnFront = onFront,
            Classes = b.Metrics.Test.PerClass?.Select(c => c.Class).ToList() ?? [],
            ClassLines = ClassLine.From(b.Metrics.Test),
            EpochLines = EpochLine.From(b.Train),
            Phases = b.Train.Phases ?? [],
            EstimatedSeconds = b.Train.EstimatedSeconds,
            TaskSeconds = b.Train.TaskSeconds,
            EpochPlot = epochPlot,
            Bootstrap = b.Bootstrap,
        };
    }

    private static (string Batch, double ImagesPerSecond) Inference(BackboneResult b, LatencyStats? batch1)
    {
        var largest = b.Timing.ImagesPerSecond
            .Select(kv => (Batch: int.TryParse(kv.Key, CultureInfo.InvariantCulture, out var n) ? n : 0, kv.Key, kv.Value))
            .OrderByDescending(t => t.Batch).FirstOrDefault();
        if (largest.Key is not null) return (largest.Key, largest.Value);
        return ("1", batch1 is { Median: > 0 } l ? 1000 / l.Median : double.NaN);
    }
}
