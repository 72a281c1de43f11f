using Runner.Core.Util;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>Reads the training settings (optimizer, schedule, loss, trainable, early stopping) of one settings map.</summary>
internal static class TrainingSettings
{
    public static readonly string[] Optimizers = ["adam", "adamw", "sgd"];
    public static readonly string[] Schedules = ["constant", "cosine", "step"];
    /// <summary>For messages and suggestions; <c>last-N</c> stands for any N ≥ 1.</summary>
    public static readonly string[] TrainablePolicies = ["all", "head", "last-N"];
    public static readonly string[] OptimizerKeys = ["name", "lr", "weight_decay", "momentum", "nesterov"];
    public static readonly string[] ScheduleKeys = ["name", "warmup_epochs", "step_size", "gamma", "min_lr"];
    private static readonly string[] SgdOnlyKeys = ["momentum", "nesterov"];
    private static readonly string[] StepOnlyKeys = ["step_size", "gamma"];
    public static readonly string[] EarlyStoppingKeys = ["patience", "min_delta"];

    public static Settings Read(YamlMap map)
    {
        var settings = Settings.Empty;
        if (map.Map("optimizer", OptimizerKeys) is { } o)
        {
            var name = o.OneOf("name", Optimizers);
            if (name is not null and not "sgd")
                foreach (var key in SgdOnlyKeys.Where(o.Has))
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
                foreach (var key in StepOnlyKeys.Where(k => name != "step" && s.Has(k)))
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
