using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Core.Ensembles;
using Runner.Core.Evaluation;
using InputKinds = Runner.Core.Config.EnsembleSpec.InputKinds;

namespace Runner.Core.Config;

/// <summary>
/// The JSON Schema (draft-07, what yaml-language-server reads) of experiment files, printed by <c>runner schema</c>.
/// Which keys each mapping takes comes from the readers' own key tables, so the schema accepts exactly the keys the
/// loader does; this class adds only the shape of each value (type, allowed words). Ranges and rules across fields
/// stay in the loader, which reports them with file:line:col.
/// </summary>
public static class ExperimentSchema
{
    /// <summary>The committed copy, relative to the repository root; experiment files point at it.</summary>
    public const string CommittedPath = "docs/experiment.schema.json";

    /// <summary>The schema as <c>runner schema</c> prints it (indented, one trailing newline).</summary>
    public static string Render(IEnumerable<string> archs) =>
        Generate(archs).Schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    /// <summary>The schema, and the keys (as <c>section.key</c>) the loader accepts whose value this class does not describe yet.</summary>
    public static (JsonObject Schema, IReadOnlyList<string> Undescribed) Generate(IEnumerable<string> archs)
    {
        var undescribed = new List<string>();
        var archNames = Enum(archs.Order(StringComparer.Ordinal));
        JsonObject Section(string section, IEnumerable<string> keys, params string[] required)
        {
            var properties = new JsonObject();
            foreach (var key in keys)
            {
                var value = ValueOf(section, key, archNames);
                if (value is null) undescribed.Add($"{section}.{key}");
                properties[key] = value ?? new JsonObject();
            }
            var result = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
            if (required.Length > 0) result["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
            return result;
        }

        var settings = () => Section("defaults", ExperimentLoader.DefaultsKeys);
        var top = Section("experiment", ExperimentLoader.TopKeys, "dataset", "backbones");
        var properties = top["properties"]!.AsObject();
        Replace(properties, "dataset", () => Section("dataset", DatasetReader.Keys, "kind", "path"));
        Replace(properties, "defaults", settings);
        Replace(properties, "backbones", () => new JsonObject
        {
            ["type"] = "array",
            ["minItems"] = 1,
            ["items"] = new JsonObject
            {
                ["anyOf"] = new JsonArray(archNames.DeepClone(), Section("backbone", ExperimentLoader.BackboneKeys, "name")),
            },
        });
        Replace(properties, "timing", () => Section("timing", ExperimentLoader.TimingKeys));
        Replace(properties["timing"]!["properties"]!.AsObject(), "throughput", () => Section("throughput", ExperimentLoader.ThroughputKeys));
        Replace(properties, "report", () => Section("report", ExperimentLoader.ReportKeys));
        Replace(properties, "evaluation", () => Section("evaluation", EvaluationReader.Keys));
        Replace(properties, "ensembles", () => MapOf(Section("ensemble", EnsembleReader.Keys, "members")));
        Replace(properties, "augmentations", () => MapOf(new JsonObject { ["type"] = "array", ["items"] = Step() }));
        // Sections reached from the settings map.
        foreach (var holder in new[] { properties["defaults"]!, properties["backbones"]!["items"]!["anyOf"]![1]! })
        {
            var p = holder["properties"]!.AsObject();
            Replace(p, "optimizer", () => Section("optimizer", TrainingSettings.OptimizerKeys));
            Replace(p, "schedule", () => Section("schedule", TrainingSettings.ScheduleKeys));
            Replace(p, "early_stopping", () => Nullable(Section("early_stopping", TrainingSettings.EarlyStoppingKeys, "patience")));
            Replace(p, "repeats", () => Nullable(Section("repeats", RepeatsReader.Keys, "seeds")));
            Replace(p, "phases", () =>
            {
                var phase = Section("phase", PhaseReader.Keys, "epochs");
                var phaseProperties = phase["properties"]!.AsObject();
                Replace(phaseProperties, "optimizer", () => Section("optimizer", TrainingSettings.OptimizerKeys));
                Replace(phaseProperties, "schedule", () => Section("schedule", TrainingSettings.ScheduleKeys));
                return new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = phase };
            });
            Replace(p, "matrix", Matrix);
        }
        Replace(properties, "matrix", Matrix);
        Replace(properties["dataset"]!["properties"]!.AsObject(), "split", () => Section("split", DatasetReader.SplitKeys));

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "runner experiment file",
            ["description"] = "Generated by `runner schema` from the experiment loader's key tables; the loader also checks ranges and rules across fields.",
        };
        foreach (var (key, value) in top) schema[key] = value?.DeepClone();
        return (schema, undescribed.Distinct().ToList());
    }

    /// <summary>Keys whose value is a section of its own: described by <see cref="Section"/> in <see cref="Generate"/>.</summary>
    private static readonly HashSet<string> Sections =
        ["experiment.dataset", "experiment.defaults", "experiment.backbones", "experiment.timing", "experiment.report", "experiment.evaluation",
         "experiment.ensembles", "experiment.augmentations", "settings.optimizer", "settings.schedule", "settings.early_stopping",
         "backbone.optimizer", "backbone.schedule", "backbone.early_stopping", "dataset.split", "defaults.optimizer", "defaults.schedule",
         "defaults.early_stopping", "defaults.repeats", "backbone.repeats", "defaults.phases", "backbone.phases", "phase.optimizer", "phase.schedule", "experiment.matrix", "backbone.matrix", "timing.throughput"];

    private static JsonNode? ValueOf(string section, string key, JsonNode archNames)
    {
        if (Sections.Contains($"{section}.{key}")) return new JsonObject(); // replaced by the caller
        if (section == "backbone") section = key is "name" or "arch" ? section : "settings";
        if (section is "defaults" or "phase") section = "settings";
        return (section, key) switch
        {
            ("experiment", "name") => Type("string"),
            ("backbone", "name") => Type("string"),
            ("backbone", "arch") => archNames.DeepClone(),
            ("settings", "image_size" or "epochs" or "batch_size" or "seed") => Type("integer"),
            ("settings", "label_smoothing" or "drop_path") => Type("number"),
            ("settings", "grad_clip") => Nullable(Type("number")),
            ("settings", "trainable") => new JsonObject { ["type"] = "string", ["pattern"] = "^(all|head|last-[1-9][0-9]*)$" },
            ("settings", "augment" or "weights") => Type("string"),
            ("settings", "precision") => Enum(Precisions.All),
            ("settings", "channels_last") => Type("boolean"),
            ("optimizer", "name") => Enum(TrainingSettings.Optimizers),
            ("optimizer", "lr" or "weight_decay" or "momentum") => Type("number"),
            ("optimizer", "nesterov") => Type("boolean"),
            ("schedule", "name") => Enum(TrainingSettings.Schedules),
            ("schedule", "warmup_epochs" or "step_size") => Type("integer"),
            ("schedule", "gamma" or "min_lr") => Type("number"),
            ("early_stopping", "patience") => Type("integer"),
            ("early_stopping", "min_delta") => Type("number"),
            ("dataset", "kind") => Enum(DatasetReader.Kinds),
            ("dataset", "path" or "predict") => Type("string"),
            ("dataset", "classes" or "class_names") => ListOf(Type("string")),
            ("dataset", "labels") => MapOf(Type("string")),
            ("dataset", "on_bad_image") => Enum(BadImagePolicy.All),
            ("dataset", "allow_outside_paths") => Type("boolean"),
            ("repeats", "seeds") => new JsonObject { ["type"] = "array", ["items"] = Type("integer"), ["minItems"] = 2, ["uniqueItems"] = true },
            ("split", "validation" or "test") => Type("number"),
            ("split", "stratify") => Type("boolean"),
            ("split", "seed") => Type("integer"),
            ("timing", "warmup" or "iterations") => Type("integer"),
            ("timing", "batch_sizes") => ListOf(Type("integer")),
            ("throughput", "batch_size" or "warmup" or "iterations") => Type("integer"),
            ("throughput", "detail") => Type("boolean"),
            ("report", "template" or "output") => Type("string"),
            ("evaluation", "tta") => Enum(TestTimeAugmentation.All),
            ("ensemble", "members") => ListOf(Type("string")),
            ("ensemble", "method") => Enum(EnsembleMethods.Names),
            ("ensemble", "inputs") => Enum(InputKinds.All),
            ("ensemble", "hidden") => ListOf(Type("integer")),
            ("ensemble", "epochs" or "batch_size" or "folds" or "seed") => Type("integer"),
            ("ensemble", "lr") => Type("number"),
            _ => null,
        };
    }

    /// <summary>
    /// An augmentation step: a bare kind (<c>- hflip</c>) or <c>kind: { p: …, params }</c> (or <c>kind:</c> with no value),
    /// each kind's parameters as it declares them (<see cref="AugmentKinds.All"/>).
    /// </summary>
    private static JsonObject Step()
    {
        var kinds = new JsonObject();
        foreach (var kind in AugmentKinds.All)
        {
            var parameters = new JsonObject { ["p"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 } };
            foreach (var param in kind.Params) parameters[param.Name] = param.Schema(Enum);
            kinds[kind.Name] = Nullable(new JsonObject { ["type"] = "object", ["properties"] = parameters, ["additionalProperties"] = false });
        }
        return new JsonObject
        {
            ["anyOf"] = new JsonArray(
                Enum(AugmentKinds.Names),
                new JsonObject { ["type"] = "object", ["properties"] = kinds, ["additionalProperties"] = false, ["minProperties"] = 1, ["maxProperties"] = 1 }),
        };
    }

    /// <summary><c>matrix:</c> a sweepable setting (<see cref="MatrixExpansion.Labels"/>) → a non-empty list of its values.</summary>
    private static JsonObject Matrix() => new()
    {
        ["type"] = "object",
        ["propertyNames"] = Enum(MatrixExpansion.Labels.Keys),
        ["additionalProperties"] = new JsonObject
        {
            ["type"] = "array", ["minItems"] = 1, ["items"] = new JsonObject { ["type"] = new JsonArray("number", "string") },
        },
    };

    private static void Replace(JsonObject properties, string key, Func<JsonNode> value)
    {
        if (properties.ContainsKey(key)) properties[key] = value();
    }

    private static JsonObject Type(string type) => new() { ["type"] = type };

    private static JsonObject ListOf(JsonNode item) => new() { ["type"] = "array", ["items"] = item };

    private static JsonObject MapOf(JsonNode value) => new() { ["type"] = "object", ["additionalProperties"] = value };

    private static JsonObject Nullable(JsonNode value) => new() { ["anyOf"] = new JsonArray(Type("null"), value) };

    /// <summary>Allowed words; one that YAML reads as a number (cutout's <c>fill: 0</c>) is allowed as that number too.</summary>
    private static JsonObject Enum(IEnumerable<string> values)
    {
        var list = new JsonArray();
        foreach (var value in values)
        {
            list.Add(value);
            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) list.Add(number);
        }
        return new JsonObject { ["enum"] = list };
    }
}
