using Runner.Core.Util;
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

internal sealed record ResolvedTraining(
    OptimizerSpec Optimizer, ScheduleSpec Schedule, double LabelSmoothing, double? GradClip, EarlyStoppingSpec? EarlyStopping);

/// <summary>Reads the training settings (optimizer, schedule, loss, trainable, early stopping) of one settings map.</summary>
internal static class TrainingSettings
{
    public static readonly string[] Optimizers = ["adam", "adamw", "sgd"];
    public static readonly string[] Schedules = ["constant", "cosine", "step"];
    /// <summary>For messages and suggestions; <c>last-N</c> stands for any N ≥ 1.</summary>
    public static readonly string[] TrainablePolicies = ["all", "head", "last-N"];
    public static readonly string[] OptimizerKeys = ["name", "lr", "weight_decay", "momentum", "nesterov"];
    public static readonly string[] ScheduleKeys = ["name", "warmup_epochs", "step_size", "gamma", "min_lr"];
    public static readonly string[] EarlyStoppingKeys = ["patience", "min_delta"];

    public static Settings Read(YamlMap map)
    {
        var settings = Settings.Empty;
        if (map.Map("optimizer", OptimizerKeys) is { } o)
        {
            var name = o.OneOf("name", Optimizers);
            if (name is not null and not "sgd")
                foreach (var key in new[] { "momentum", "nesterov" }.Where(o.Has))
                    o.Errors.Add(o.KeyNode(key)!, $"{o.FieldPath(key)}: only for sgd, not {name}");
            settings = settings with
            {
                OptimizerName = name,
                Lr = o.Double("lr", 1e-12, 10),
                WeightDecay = o.Double("weight_decay", 0, 1),
                Momentum = o.Double("momentum", 0, 1),
                Nesterov = o.Bool("nesterov"),
            };
        }
        if (map.Map("schedule", ScheduleKeys) is { } s)
        {
            var name = s.OneOf("name", Schedules);
            if (name is not null)
            {
                foreach (var key in new[] { "step_size", "gamma" }.Where(k => name != "step" && s.Has(k)))
                    s.Errors.Add(s.KeyNode(key)!, $"{s.FieldPath(key)}: only for the step schedule, not {name}");
                if (name != "cosine" && s.Has("min_lr"))
                    s.Errors.Add(s.KeyNode("min_lr")!, $"{s.FieldPath("min_lr")}: only for the cosine schedule, not {name}");
            }
            settings = settings with
            {
                ScheduleName = name,
                WarmupEpochs = s.Int("warmup_epochs", 0, 10_000),
                // An invalid step_size is already reported; a placeholder avoids a second "needs step_size" error.
                StepSize = s.Int("step_size", 1, 10_000) ?? (s.Has("step_size") ? 1 : null),
                Gamma = s.Double("gamma", 1e-12, 1),
                MinLr = s.Double("min_lr", 0, 10),
            };
        }
        settings = settings with
        {
            LabelSmoothing = map.Double("label_smoothing", 0, 0.999),
            GradClip = IsNull(map.Value("grad_clip")) ? 0 : map.Double("grad_clip", 1e-12, 1e9),
            Trainable = Trainable(map),
        };
        if (IsNull(map.Value("early_stopping")))
            settings = settings with { Patience = 0 };
        else if (map.Map("early_stopping", EarlyStoppingKeys) is { } e)
        {
            if (!e.Has("patience")) e.Require("patience");
            settings = settings with { Patience = e.Int("patience", 1, 10_000), MinDelta = e.Double("min_delta", 0, 1e9) };
        }
        return settings;
    }

    private static string? Trainable(YamlMap map)
    {
        var text = map.String("trainable");
        if (text is null || text is "all" or "head" || Config.Trainable.LastBlocks(text) is not null) return text;
        var hint = text.StartsWith("last", StringComparison.Ordinal) ? " (N from 1 to 9999, e.g. last-2)" : Suggest.DidYouMean(text, ["all", "head", "last-1", "last-2"]);
        map.Errors.Add(map.Value("trainable")!, $"{map.FieldPath("trainable")}: '{text}' is not one of {string.Join(", ", TrainablePolicies)}{hint}");
        return null;
    }

    private static bool IsNull(YamlNode? node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };
}
