using System.Text.Json.Nodes;
using Runner.Core.Config;

namespace Runner.Core.Planning;

/// <summary>What the planner needs from outside the YAML, gathered before planning so planning stays pure.</summary>
public sealed record PlanInputs(
    /// <summary>Digest of the dataset's file list (names, sizes, modification times) and its file count.</summary>
    string DatasetDigest,
    int DatasetFiles,
    /// <summary>Device, driver, libtorch and thread count: part of timing keys only.</summary>
    JsonObject Hardware,
    /// <summary>Digest of the report templates.</summary>
    string TemplateDigest)
{
    /// <summary>SHA-256 of each backbone's pretrained weights, by backbone name; absent means none.</summary>
    public IReadOnlyDictionary<string, string> WeightsDigests { get; init; } = new Dictionary<string, string>();
}

/// <summary>Turns an experiment into a task graph with content-addressed keys. No I/O, no TorchSharp.</summary>
public static class Planner
{
    /// <summary>Part of every key: a new runner version recomputes everything (its code may compute differently).</summary>
    public static readonly string RunnerVersion = VersionOf(typeof(Planner).Assembly.GetName().Version);

    private static string VersionOf(Version? v) => v is null ? "0.0.0" : $"{v.Major}.{v.Minor}.{v.Build}";

    public static TaskGraph Plan(ExperimentSpec spec, PlanInputs inputs)
    {
        var tasks = new List<PlannedTask>();
        PlannedTask Add(string id, string kind, string? backbone, JsonObject parameters, params PlannedTask[] deps)
        {
            var task = new PlannedTask(id, kind, backbone, parameters, deps.Select(d => d.Id).ToList(), KeyOf(kind, parameters, deps));
            tasks.Add(task);
            return task;
        }

        var data = Add("data", TaskKinds.Data, null, DataParams(spec.Dataset, inputs));
        var perBackbone = new List<PlannedTask>();
        foreach (var backbone in spec.Backbones)
        {
            var train = Add($"train:{backbone.Name}", TaskKinds.Train, backbone.Name, TrainParams(backbone, inputs.WeightsDigests.GetValueOrDefault(backbone.Name, "none")), data);
            var eval = Add($"eval:{backbone.Name}", TaskKinds.Eval, backbone.Name, new JsonObject { ["tta"] = spec.Evaluation.Tta }, train, data);
            perBackbone.AddRange([train, eval]);
            // Repeats of one configuration differ only in the seed, which timing does not depend on: the first seed times them all.
            if (backbone.TimedBy() == backbone.Name)
                perBackbone.Add(Add($"time:{backbone.Name}", TaskKinds.Time, backbone.Name, TimeParams(spec.Timing, backbone, inputs.Hardware), train));
        }
        var ensembles = PlanEnsembles(spec, data, tasks, Add);
        var report = new JsonObject
        {
            ["experiment"] = spec.Name,
            ["template"] = new JsonObject { ["name"] = spec.Report.Template, ["digest"] = inputs.TemplateDigest },
            ["backbones"] = new JsonArray(spec.Backbones.Select(b => (JsonNode)b.Name).ToArray()),
        };
        // Only when there are ensembles, so experiments without them keep their report keys.
        if (ensembles.Count > 0) report["ensembles"] = new JsonArray(spec.Ensembles.Select(e => (JsonNode)e.Name).ToArray());
        Add("report", TaskKinds.Report, null, report, [data, .. perBackbone, .. ensembles]);
        return new TaskGraph(spec.Name, tasks);
    }

    private delegate PlannedTask AddTask(string id, string kind, string? backbone, JsonObject parameters, params PlannedTask[] deps);

    /// <summary>
    /// One <c>features:NAME</c> task per backbone some <c>inputs: features</c> ensemble uses, then one <c>ensemble:NAME</c>
    /// task per group, depending on its members' eval (and features) tasks only: changing one member re-runs the
    /// ensembles that contain it and nothing else.
    /// </summary>
    private static List<PlannedTask> PlanEnsembles(ExperimentSpec spec, PlannedTask data, List<PlannedTask> tasks, AddTask add)
    {
        PlannedTask Find(string id) => tasks.First(t => t.Id == id);
        var featureMembers = spec.Ensembles.Where(e => e.Inputs == EnsembleSpec.InputKinds.Features).SelectMany(e => e.Members).ToHashSet();
        foreach (var b in spec.Backbones.Where(b => featureMembers.Contains(b.Name)))
            add($"{TaskKinds.Features}:{b.Name}", TaskKinds.Features, b.Name, new JsonObject { ["pool"] = "penultimate" },
                Find($"{TaskKinds.Train}:{b.Name}"), data);

        return spec.Ensembles.Select(e =>
        {
            var deps = e.Members.Select(m => Find($"{TaskKinds.Eval}:{m}")).ToList();
            if (e.Inputs == EnsembleSpec.InputKinds.Features) deps.AddRange(e.Members.Select(m => Find($"{TaskKinds.Features}:{m}")));
            return add($"{TaskKinds.Ensemble}:{e.Name}", TaskKinds.Ensemble, null, EnsembleParams(e), [data, .. deps]);
        }).ToList();
    }

    /// <summary>The settings that apply to the ensemble's method (as <see cref="OptimizerParams"/> does for optimizers).</summary>
    private static JsonObject EnsembleParams(EnsembleSpec e)
    {
        var json = new JsonObject
        {
            ["method"] = e.Method,
            ["members"] = Names(e.Members),
            ["inputs"] = e.Inputs,
        };
        if (e.Method == EnsembleSpec.Methods.Stacking) json["hidden"] = new JsonArray(e.Hidden.Select(h => (JsonNode)h).ToArray());
        if (EnsembleSpec.Methods.Trains(e.Method))
        {
            json["epochs"] = e.Epochs;
            json["lr"] = e.Lr;
            json["batch_size"] = e.BatchSize;
        }
        if (e.Method != EnsembleSpec.Methods.Mean)
        {
            json["folds"] = e.Folds;
            json["seed"] = e.Seed;
        }
        return json;
    }

    private static string KeyOf(string kind, JsonObject parameters, IEnumerable<PlannedTask> deps) =>
        CanonicalJson.Sha256(new JsonObject
        {
            ["kind"] = kind,
            ["params"] = parameters.DeepClone(),
            ["deps"] = new JsonArray(deps.Select(d => (JsonNode)d.Key).ToArray()),
            ["runner"] = RunnerVersion,
        });

    /// <summary>
    /// The data key: where the files are is not part of it (the same bytes under ./data, <c>$RUNNER_DATA</c> or another
    /// checkout give the same key); their names and contents are, through <see cref="PlanInputs.DatasetDigest"/>.
    /// </summary>
    private static JsonObject DataParams(DatasetSpec d, PlanInputs inputs) => new()
    {
        ["kind"] = d.Kind,
        ["classes"] = Names(d.Classes),
        ["class_names"] = Names(d.ClassNames),
        // An array, not an object: the patterns' order is the class order, and canonical JSON sorts object keys.
        ["labels"] = d.Labels is null ? null : new JsonArray(d.Labels.Select(l => (JsonNode)new JsonObject { ["class"] = l.Class, ["pattern"] = l.Pattern }).ToArray()),
        ["predict"] = d.Predict is not null,
        ["on_bad_image"] = d.OnBadImage,
        ["files"] = new JsonObject
        {
            ["count"] = inputs.DatasetFiles,
            ["digest"] = inputs.DatasetDigest,
            // How the digest was made; entries from before content addressing say "size+mtime".
            ["fingerprint"] = "sha256",
        },
        ["split"] = new JsonObject
        {
            ["validation"] = d.Split.Validation,
            ["test"] = d.Split.Test,
            ["stratify"] = d.Split.Stratify,
            ["seed"] = d.Split.Seed,
        },
    };

    private static JsonArray? Names(IReadOnlyList<string>? names) =>
        names is null ? null : new JsonArray(names.Select(n => (JsonNode)n).ToArray());

    private static JsonObject TrainParams(BackboneSpec b, string weightsDigest)
    {
        var json = SinglePhaseTrainParams(b, weightsDigest);
        // Only with phases, so backbones without them keep their train keys.
        if (b.Phases is { } phases)
            json["phases"] = new JsonArray(phases.Select(p => (JsonNode)new JsonObject
            {
                ["trainable"] = p.Trainable,
                ["epochs"] = p.Epochs,
                ["optimizer"] = OptimizerParams(p.Optimizer),
                ["schedule"] = ScheduleParams(p.Schedule),
            }).ToArray());
        return json;
    }

    private static JsonObject SinglePhaseTrainParams(BackboneSpec b, string weightsDigest) => new()
    {
        ["arch"] = b.Arch,
        ["weights"] = b.Weights,
        ["weights_sha256"] = weightsDigest,
        ["image_size"] = b.ImageSize,
        ["epochs"] = b.Epochs,
        ["batch_size"] = b.BatchSize,
        ["optimizer"] = OptimizerParams(b.Optimizer),
        ["schedule"] = ScheduleParams(b.Schedule),
        ["label_smoothing"] = b.LabelSmoothing,
        ["grad_clip"] = b.GradClip,
        ["trainable"] = b.Trainable,
        ["early_stopping"] = b.EarlyStopping is { } e ? new JsonObject { ["patience"] = e.Patience, ["min_delta"] = e.MinDelta } : null,
        ["augment"] = new JsonArray(b.Augment.Select(a => (JsonNode)a.ToJson()).ToArray()),
        ["seed"] = b.Seed,
    };

    /// <summary>Every setting of the chosen optimizer, defaults included; sgd-only settings only for sgd.</summary>
    private static JsonObject OptimizerParams(OptimizerSpec o)
    {
        var json = new JsonObject { ["name"] = o.Name, ["lr"] = o.Lr, ["weight_decay"] = o.WeightDecay };
        if (o.Name == "sgd")
        {
            json["momentum"] = o.Momentum;
            json["nesterov"] = o.Nesterov;
        }
        return json;
    }

    /// <summary>Every setting of the chosen schedule, defaults included; step-only and cosine-only settings only there.</summary>
    private static JsonObject ScheduleParams(ScheduleSpec s)
    {
        var json = new JsonObject { ["name"] = s.Name, ["warmup_epochs"] = s.WarmupEpochs };
        if (s.Name == "step")
        {
            json["step_size"] = s.StepSize;
            json["gamma"] = s.Gamma;
        }
        if (s.Name == "cosine") json["min_lr"] = s.MinLr;
        return json;
    }

    private static JsonObject TimeParams(TimingSpec t, BackboneSpec b, JsonObject hardware) => new()
    {
        ["image_size"] = b.ImageSize,
        ["warmup"] = t.Warmup,
        ["iterations"] = t.Iterations,
        ["batch_sizes"] = new JsonArray(t.BatchSizes.Select(s => (JsonNode)s).ToArray()),
        ["hardware"] = hardware.DeepClone(),
    };
}
