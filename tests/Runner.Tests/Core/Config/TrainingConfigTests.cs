using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Cli;

namespace Runner.Tests.Core.Config;

/// <summary>The training settings in experiment files: defaults, per-backbone overrides, errors with positions, train keys.</summary>
public sealed class TrainingConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public TrainingConfigTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    private string[] Head() => ["name: exp", "dataset:", "  kind: folder", $"  path: {_data}"];

    /// <summary>Lines 1–4 the dataset, line 5 "defaults:", then the given default lines, then two backbones.</summary>
    private string Experiment(string[] defaults, string mobilenet = "  - mobilenet_v2") =>
        Yaml.Lines([.. Head(), "defaults:", .. defaults, "backbones:", "  - resnet18", mobilenet]);

    [Fact]
    public void Defaults_are_filled_in()
    {
        var b = Yaml.Parse(Experiment(["  epochs: 2"])).Backbones[0];
        Assert.Equal(new OptimizerSpec("adam", 1e-4, 0, 0.9, false), b.Optimizer);
        Assert.Equal(new ScheduleSpec("constant", 0, 1, 0.1, 0), b.Schedule);
        Assert.Equal((0.0, (double?)null, "all", (EarlyStoppingSpec?)null), (b.LabelSmoothing, b.GradClip, b.Trainable, b.EarlyStopping));
        Assert.Equal(("fp32", BackboneSpec.DefaultChannelsLast), (b.Precision, b.ChannelsLast));
    }

    [Fact]
    public void Precision_and_channels_last_are_read_and_overridden_per_backbone()
    {
        var spec = Yaml.Parse(Experiment(["  precision: amp_bf16", "  channels_last: true"],
            "  - { name: mobilenet_v2, precision: bf16, channels_last: false }"));
        Assert.Equal(("amp_bf16", true), (spec.Backbones[0].Precision, spec.Backbones[0].ChannelsLast));
        Assert.Equal(("bf16", false), (spec.Backbones[1].Precision, spec.Backbones[1].ChannelsLast));
    }

    [Fact]
    public void Precision_and_channels_last_reach_the_train_and_time_tasks_and_throughput_only_the_time_tasks()
    {
        var yaml = Experiment(["  precision: amp_fp16", "  channels_last: true"]);
        var graph = Yaml.Plan(Yaml.Parse(yaml + "timing: { throughput: { batch_size: 64, detail: true } }\n"));
        var train = (Runner.Core.Planning.Kinds.TrainParams)graph["train:resnet18"].Parameters;
        var time = (Runner.Core.Planning.Kinds.TimeParams)graph["time:resnet18"].Parameters;
        Assert.Equal(("amp_fp16", true), (train.Precision, train.ChannelsLast));
        Assert.Equal(("amp_fp16", true), (time.Precision, time.ChannelsLast));
        Assert.Equal(new ThroughputSpec(64, 10, 40, true), time.Throughput);

        var without = Yaml.Plan(Yaml.Parse(yaml)).Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);
        Assert.Null(((Runner.Core.Planning.Kinds.TimeParams)Yaml.Plan(Yaml.Parse(yaml))["time:resnet18"].Parameters).Throughput);
        Assert.Equal(["report", "time:mobilenet_v2", "time:resnet18"],
            graph.Tasks.Where(t => without[t.Id.ToString()] != t.Key).Select(t => t.Id.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_setting_is_read_and_backbones_override_field_by_field()
    {
        var spec = Yaml.Parse(Experiment(
            [
                "  optimizer: { name: sgd, lr: 0.01, weight_decay: 0.0005, momentum: 0.8, nesterov: true }",
                "  schedule: { name: step, warmup_epochs: 1, step_size: 3, gamma: 0.5 }",
                "  label_smoothing: 0.1",
                "  grad_clip: 1.5",
                "  trainable: last-2",
                "  early_stopping: { patience: 3, min_delta: 0.001 }",
            ],
            "  - { name: mobilenet_v2, optimizer: { lr: 0.1 }, schedule: { name: cosine, min_lr: 0.0001 }, grad_clip: null, early_stopping: null, trainable: head }"));
        var (resnet, mobilenet) = (spec.Backbones[0], spec.Backbones[1]);

        Assert.Equal(new OptimizerSpec("sgd", 0.01, 0.0005, 0.8, true), resnet.Optimizer);
        Assert.Equal(new ScheduleSpec("step", 1, 3, 0.5, 0), resnet.Schedule);
        Assert.Equal((0.1, (double?)1.5, "last-2", new EarlyStoppingSpec(3, 0.001)), (resnet.LabelSmoothing, resnet.GradClip, resnet.Trainable, resnet.EarlyStopping));

        Assert.Equal(new OptimizerSpec("sgd", 0.1, 0.0005, 0.8, true), mobilenet.Optimizer);
        Assert.Equal(("cosine", 1, 0.0001), (mobilenet.Schedule.Name, mobilenet.Schedule.WarmupEpochs, mobilenet.Schedule.MinLr));
        Assert.Equal((0.1, (double?)null, "head", (EarlyStoppingSpec?)null), (mobilenet.LabelSmoothing, mobilenet.GradClip, mobilenet.Trainable, mobilenet.EarlyStopping));
    }

    public static TheoryData<string, int, int, string[]> Errors => new()
    {
        { "  optimizer: { name: adamm, lr: 0.1 }", 6, 22, ["defaults.optimizer.name", "'adamm'", "did you mean 'adam'?"] },
        { "  optimizer: { name: adam, weight_decy: 0.1 }", 6, 28, ["unknown key 'weight_decy'", "did you mean 'weight_decay'?"] },
        { "  optimizer: { name: adam, momentum: 0.9 }", 6, 28, ["defaults.optimizer.momentum", "only for sgd"] },
        { "  optimizer: { name: sgd, nesterov: maybe }", 6, 37, ["defaults.optimizer.nesterov", "true or false"] },
        { "  schedule: { name: cosin }", 6, 21, ["defaults.schedule.name", "did you mean 'cosine'?"] },
        { "  schedule: { name: cosine, gamma: 0.5 }", 6, 29, ["defaults.schedule.gamma", "only for the step schedule"] },
        { "  schedule: { name: step }", 6, 13, ["defaults.schedule: schedule 'step' needs step_size"] },
        { "  schedule: { name: step, step_size: 0 }", 6, 38, ["defaults.schedule.step_size", "out of range"] },
        { "  label_smoothing: 1.5", 6, 20, ["defaults.label_smoothing", "out of range"] },
        { "  grad_clip: norm", 6, 14, ["defaults.grad_clip", "expected a number"] },
        { "  trainable: heads", 6, 14, ["defaults.trainable", "did you mean 'head'?"] },
        { "  trainable: last-x", 6, 14, ["defaults.trainable", "e.g. last-2"] },
        { "  early_stopping: { min_delta: 0.1 }", 6, 19, ["missing required key 'defaults.early_stopping.patience'"] },
        {
            "  precision: amp_fp61", 6, 14,
            ["defaults.precision", "'amp_fp61' is not one of fp32, tf32, amp_fp16, amp_bf16, bf16", "did you mean 'amp_fp16'?"]
        },
        { "  channels_last: maybe", 6, 18, ["defaults.channels_last", "expected true or false"] },
        { "  early_stopping: { patience: 2, min_detla: 0.1 }", 6, 34, ["unknown key 'min_detla'", "did you mean 'min_delta'?"] },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Bad_settings_are_reported_at_their_position(string line, int row, int column, string[] fragments)
    {
        var e = Yaml.Fails(Experiment([line]));
        var error = Assert.Single(e.Errors);
        Assert.Equal(("exp.yaml", row, column), (error.File, error.Line, error.Column));
        Assert.All(fragments, f => Assert.Contains(f, error.Message));
    }

    [Fact]
    public void A_backbone_switching_to_step_without_step_size_is_reported_at_its_schedule()
    {
        var e = Yaml.Fails(Experiment(["  epochs: 2"], "  - { name: mobilenet_v2, schedule: { name: step } }"));
        var error = Assert.Single(e.Errors);
        Assert.Equal((9, 37), (error.Line, error.Column));
        Assert.Contains("backbones[1].schedule: schedule 'step' needs step_size", error.Message);
    }

    [Fact]
    public void Last_n_beyond_the_architectures_blocks_is_reported_before_anything_runs()
    {
        var e = Yaml.Fails(Experiment(["  trainable: last-5"], "  - { name: mobilenet_v2, trainable: last-30 }"), ArchRegistry.Default);
        Assert.Collection(e.Errors.OrderBy(x => x.Line),
            resnet =>
            {
                Assert.Equal((8, 5), (resnet.Line, resnet.Column));
                Assert.Contains("backbones[0]: trainable: last-5 (from defaults), but resnet18 has 4 blocks; use last-1 … last-4", resnet.Message);
            },
            mobilenet =>
            {
                Assert.Equal((9, 38), (mobilenet.Line, mobilenet.Column));
                Assert.Contains("backbones[1]: trainable: last-30, but mobilenet_v2 has 19 blocks", mobilenet.Message);
            });
    }

    private Dictionary<string, string> Keys(params string[] defaults) =>
        Yaml.Plan(Yaml.Parse(Experiment(["  epochs: 2", .. defaults]))).Tasks.ToDictionary(t => t.Id.ToString(), t => t.Key);

    [Theory]
    [InlineData("  optimizer: { name: adamw }")]
    [InlineData("  optimizer: { lr: 0.01 }")]
    [InlineData("  optimizer: { weight_decay: 0.01 }")]
    [InlineData("  schedule: { name: cosine }")]
    [InlineData("  schedule: { warmup_epochs: 1 }")]
    [InlineData("  label_smoothing: 0.1")]
    [InlineData("  grad_clip: 1.0")]
    [InlineData("  trainable: head")]
    [InlineData("  trainable: last-1")]
    [InlineData("  early_stopping: { patience: 2 }")]
    [InlineData("  precision: amp_bf16")]
    [InlineData("  channels_last: true")]
    public void Each_setting_changes_the_train_keys(string setting)
    {
        var baseline = Keys();
        var changed = Keys(setting);
        var differing = baseline.Keys.Where(id => baseline[id] != changed[id]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["eval:mobilenet_v2", "eval:resnet18", "report", "time:mobilenet_v2", "time:resnet18", "train:mobilenet_v2", "train:resnet18"], differing);
    }

    [Fact]
    public void Sub_settings_change_keys_only_where_they_apply_and_defaults_written_out_change_nothing()
    {
        Assert.Equal(Keys(), Keys("  optimizer: { name: adam, lr: 0.0001, weight_decay: 0 }", "  schedule: { name: constant, warmup_epochs: 0 }",
            "  label_smoothing: 0", "  grad_clip: null", "  trainable: all", "  early_stopping: null"));
        Assert.NotEqual(Keys("  optimizer: { name: sgd }"), Keys("  optimizer: { name: sgd, momentum: 0.5 }"));
        Assert.NotEqual(Keys("  optimizer: { name: sgd }"), Keys("  optimizer: { name: sgd, nesterov: true }"));
        Assert.NotEqual(Keys("  schedule: { name: step, step_size: 1 }"), Keys("  schedule: { name: step, step_size: 2 }"));
        Assert.NotEqual(Keys("  schedule: { name: step, step_size: 1 }"), Keys("  schedule: { name: step, step_size: 1, gamma: 0.5 }"));
        Assert.NotEqual(Keys("  schedule: { name: cosine }"), Keys("  schedule: { name: cosine, min_lr: 0.00001 }"));
        Assert.NotEqual(Keys("  early_stopping: { patience: 2 }"), Keys("  early_stopping: { patience: 2, min_delta: 0.01 }"));
    }
}
