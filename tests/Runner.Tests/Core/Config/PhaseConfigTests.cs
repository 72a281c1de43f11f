using Runner.Core.Config;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Training;
using Runner.Cli;

namespace Runner.Tests.Core.Config;

/// <summary><c>phases:</c> in experiment files: inheritance from the backbone, errors with positions, train keys, resume positions.</summary>
public sealed class PhaseConfigTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _data;

    public PhaseConfigTests() => _data = _temp.Sub("dataset");

    public void Dispose() => _temp.Dispose();

    /// <summary>Lines 1–4 the dataset, line 5 "defaults:", the default lines, "backbones:", then the backbone lines.</summary>
    private string Experiment(string[] defaults, params string[] backbones) =>
        Yaml.Lines(["name: exp", "dataset:", "  kind: folder", $"  path: {_data}", "defaults:", "  batch_size: 4", .. defaults, "backbones:", .. backbones]);

    [Fact]
    public void Each_phase_inherits_what_it_does_not_set_and_the_epochs_add_up()
    {
        var b = Yaml.Parse(Experiment(["  optimizer: { name: sgd, lr: 0.01, momentum: 0.8 }", "  schedule: { name: cosine }"],
            "  - name: resnet18",
            "    phases:",
            "      - { trainable: head, epochs: 2, optimizer: { lr: 0.001 } }",
            "      - { trainable: last-2, epochs: 3, schedule: { warmup_epochs: 1 } }")).Backbones[0];
        Assert.Equal(5, b.Epochs);
        Assert.Equal(
            [
                new PhaseSpec("head", 2, new OptimizerSpec("sgd", 0.001, 0, 0.8), new ScheduleSpec("cosine")),
                new PhaseSpec("last-2", 3, new OptimizerSpec("sgd", 0.01, 0, 0.8), new ScheduleSpec("cosine", WarmupEpochs: 1)),
            ],
            b.Phases!);
        Assert.Equal(b.Phases, b.PhasesOrOne());
    }

    [Fact]
    public void Defaults_phases_apply_to_backbones_that_do_not_set_epochs_or_trainable_themselves()
    {
        var spec = Yaml.Parse(Experiment(["  phases: [ { trainable: head, epochs: 1 }, { epochs: 2 } ]"],
            "  - resnet18", "  - { name: mobilenet_v2, epochs: 4 }"));
        Assert.Equal([("head", 1), ("all", 2)], spec.Backbones[0].Phases!.Select(p => (p.Trainable, p.Epochs)));
        Assert.Null(spec.Backbones[1].Phases);
        Assert.Equal([new PhaseSpec("all", 4, spec.Backbones[1].Optimizer, spec.Backbones[1].Schedule)], spec.Backbones[1].PhasesOrOne());
    }

    public static TheoryData<string, int, int, string> Errors => new()
    {
        { "  - { name: resnet18, epochs: 3, phases: [ { epochs: 1 } ] }", 8, 23, "backbones[0].epochs: not beside 'phases'; set epochs inside each phase" },
        { "  - { name: resnet18, phases: [ { epochs: 1, trainable: last-5 } ] }", 8, 57, "backbones[0].phases[0]: trainable: last-5, but resnet18 has 4 blocks" },
        { "  - { name: resnet18, phases: [ { epochs: 1, lr: 0.1 } ] }", 8, 46, "unknown key 'lr'" },
        { "  - { name: resnet18, phases: [ { trainable: head } ] }", 8, 33, "missing required key 'backbones[0].phases[0].epochs'" },
        { "  - { name: resnet18, phases: [] }", 8, 31, "backbones[0].phases: list at least one phase" },
        { "  - { name: resnet18, phases: [ { epochs: 1, schedule: { name: step } } ] }", 8, 56, "backbones[0].phases[0]: schedule 'step' needs step_size" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Bad_phases_are_reported_at_their_position(string backbone, int row, int column, string message)
    {
        var e = Yaml.Fails(Experiment([], backbone), ArchRegistry.Default);
        var error = Assert.Single(e.Errors);
        Assert.Equal(("exp.yaml", row, column), (error.File, error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    private string TrainKey(string backbone) =>
        Yaml.Plan(Yaml.Parse(Experiment([], backbone))).Tasks.Single(t => t.Id == "train:resnet18").Key;

    [Fact]
    public void Phases_are_part_of_the_train_key_and_a_backbone_without_them_keeps_its_key()
    {
        var plain = TrainKey("  - { name: resnet18, epochs: 3 }");
        var phased = TrainKey("  - { name: resnet18, phases: [ { trainable: head, epochs: 1 }, { epochs: 2 } ] }");
        Assert.NotEqual(plain, phased);
        Assert.NotEqual(phased, TrainKey("  - { name: resnet18, phases: [ { trainable: head, epochs: 1, optimizer: { lr: 0.01 } }, { epochs: 2 } ] }"));
        Assert.NotEqual(phased, TrainKey("  - { name: resnet18, phases: [ { trainable: head, epochs: 2 }, { epochs: 1 } ] }"));
        Assert.Equal(plain, TrainKey("  - { name: resnet18, epochs: 3, trainable: all }"));
    }

    [Fact]
    public void A_resume_continues_inside_an_unfinished_phase_and_starts_the_next_after_a_finished_or_stopped_one()
    {
        var o = new OptimizerSpec("adam", 1e-3);
        PhaseSpec[] phases = [new("head", 2, o, ScheduleSpec.Constant), new("all", 3, o, ScheduleSpec.Constant)];
        Assert.Equal(PhasePosition.Start, PhasePosition.After([], phases, stopped: false));
        Assert.Equal(new PhasePosition(0, 1), PhasePosition.After([0], phases, stopped: false));
        Assert.Equal(new PhasePosition(1, 0), PhasePosition.After([0, 0], phases, stopped: false));
        Assert.Equal(new PhasePosition(1, 0), PhasePosition.After([0], phases, stopped: true));
        Assert.Equal(new PhasePosition(1, 1), PhasePosition.After([0, 0, 1], phases, stopped: false));
        Assert.Equal(new PhasePosition(2, 0), PhasePosition.After([0, 0, 1, 1, 1], phases, stopped: false));
    }
}
