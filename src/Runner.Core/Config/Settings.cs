using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>
/// The per-backbone settings as written (in <c>defaults:</c> or one backbone), every field optional; a backbone's
/// own settings lie <see cref="Over"/> the defaults field by field, nested maps included (a backbone may set only
/// <c>optimizer.lr</c>). For <c>grad_clip</c> and <c>early_stopping</c>, 0 records an explicit <c>null</c> (off).
/// </summary>
internal sealed record Settings
{
    public static readonly Settings Empty = new();

    public int? ImageSize { get; init; }
    public int? Epochs { get; init; }
    public int? BatchSize { get; init; }
    public string? OptimizerName { get; init; }
    public double? Lr { get; init; }
    public double? WeightDecay { get; init; }
    public double? Momentum { get; init; }
    public bool? Nesterov { get; init; }
    public string? ScheduleName { get; init; }
    public int? WarmupEpochs { get; init; }
    public int? StepSize { get; init; }
    public double? Gamma { get; init; }
    public double? MinLr { get; init; }
    public double? LabelSmoothing { get; init; }
    public double? GradClip { get; init; }
    public int? Patience { get; init; }
    public double? MinDelta { get; init; }
    public string? Trainable { get; init; }
    public string? Augment { get; init; }
    public int? Seed { get; init; }
    public string? Weights { get; init; }
    public string? Precision { get; init; }
    public bool? ChannelsLast { get; init; }
    /// <summary>Stochastic depth rate (<c>drop_path</c>); null: the architecture's own.</summary>
    public double? DropPath { get; init; }
    /// <summary><c>phases:</c> as written; a map that sets epochs or trainable itself does not inherit them (see <see cref="PhaseReader"/>).</summary>
    public IReadOnlyList<PhaseSettings>? Phases { get; init; }

    public Settings Over(Settings b) => new()
    {
        ImageSize = ImageSize ?? b.ImageSize,
        Epochs = Epochs ?? b.Epochs,
        BatchSize = BatchSize ?? b.BatchSize,
        OptimizerName = OptimizerName ?? b.OptimizerName,
        Lr = Lr ?? b.Lr,
        WeightDecay = WeightDecay ?? b.WeightDecay,
        Momentum = Momentum ?? b.Momentum,
        Nesterov = Nesterov ?? b.Nesterov,
        ScheduleName = ScheduleName ?? b.ScheduleName,
        WarmupEpochs = WarmupEpochs ?? b.WarmupEpochs,
        StepSize = StepSize ?? b.StepSize,
        Gamma = Gamma ?? b.Gamma,
        MinLr = MinLr ?? b.MinLr,
        LabelSmoothing = LabelSmoothing ?? b.LabelSmoothing,
        GradClip = GradClip ?? b.GradClip,
        Patience = Patience ?? b.Patience,
        MinDelta = Patience == 0 ? null : MinDelta ?? b.MinDelta,
        Trainable = Trainable ?? b.Trainable,
        Augment = Augment ?? b.Augment,
        Seed = Seed ?? b.Seed,
        Weights = Weights ?? b.Weights,
        Precision = Precision ?? b.Precision,
        ChannelsLast = ChannelsLast ?? b.ChannelsLast,
        DropPath = DropPath ?? b.DropPath,
        Phases = Phases ?? (Epochs is null && Trainable is null ? b.Phases : null),
    };

    /// <summary>The effective training settings with defaults filled in; null after reporting an error.</summary>
    public ResolvedTraining? Training(YamlErrors errors, YamlNode at, string path)
    {
        var schedule = ScheduleName ?? "constant";
        if (schedule == "step" && StepSize is null)
        {
            var message = $"{path}: schedule 'step' needs step_size (epochs between decays)";
            if (!errors.Items.Any(e => e.Message == message && e.Line == (int)at.Start.Line && e.Column == (int)at.Start.Column))
                errors.Add(at, message);
            return null;
        }
        return new ResolvedTraining(
            new OptimizerSpec(OptimizerName ?? "adam", Lr ?? 1e-4, WeightDecay ?? 0, Momentum ?? 0.9, Nesterov ?? false),
            new ScheduleSpec(schedule, WarmupEpochs ?? 0, StepSize ?? 1, Gamma ?? 0.1, MinLr ?? 0),
            LabelSmoothing ?? 0,
            GradClip is null or 0 ? null : GradClip,
            Patience is null or 0 ? null : new EarlyStoppingSpec(Patience.Value, MinDelta ?? 0));
    }
}
