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
    /// <summary>The precision and memory format it trained in; null in older entries (fp32, NCHW).</summary>
    public string? Precision { get; init; }
    public bool? ChannelsLast { get; init; }
    /// <summary>amp_fp16 only: optimizer steps the loss scaler skipped because a gradient was infinite or NaN.</summary>
    public int? SkippedSteps { get; init; }
    /// <summary>The GPU it trained on; null on the CPU.</summary>
    public GpuInfo? Gpu { get; init; }
    /// <summary>The image size the model was built and trained at (the checkpoint's shapes follow it for ViT); null in old entries.</summary>
    public int? ImageSize { get; init; }
    /// <summary>The machine that trained (and so measured every time above); null in entries written before it was recorded.</summary>
    public Machines.Machine? Machine { get; init; }
    public const string FileName = "train.json";
    public const string Checkpoint = "model.bin";
}
