namespace Runner.Core.Config;

public sealed record BackboneSpec(
    string Name,
    string Arch,
    string Weights,
    int ImageSize,
    int Epochs,
    int BatchSize,
    OptimizerSpec Optimizer,
    string Trainable,
    string AugmentName,
    IReadOnlyList<AugmentOp> Augment,
    int Seed,
    ConfigLocation Location)
{
    public ScheduleSpec Schedule { get; init; } = ScheduleSpec.Constant;
    public double LabelSmoothing { get; init; }
    /// <summary>Max gradient norm (clip_grad_norm_); null: no clipping.</summary>
    public double? GradClip { get; init; }
    /// <summary>null: train every epoch.</summary>
    public EarlyStoppingSpec? EarlyStopping { get; init; }
    /// <summary>Set when <c>matrix</c> or <c>repeats</c> made this backbone one variant of an entry of <c>backbones</c>.</summary>
    public VariantInfo? Variant { get; init; }
    /// <summary><c>phases:</c> in order; null when the backbone trains in one phase (<see cref="Epochs"/> is then their sum).</summary>
    public IReadOnlyList<PhaseSpec>? Phases { get; init; }
    /// <summary>One of <see cref="Precisions.All"/>: how training and timing compute.</summary>
    public string Precision { get; init; } = Precisions.Default;
    /// <summary>Train and time with NHWC strides (channels_last), inputs and weights alike.</summary>
    public bool ChannelsLast { get; init; } = DefaultChannelsLast;

    /// <summary>channels_last's default: see README, "Precision and memory format".</summary>
    public const bool DefaultChannelsLast = false;
    /// <summary>Stochastic depth rate (<c>drop_path</c>); null: the architecture's own (or it has none).</summary>
    public double? DropPath { get; init; }
}
