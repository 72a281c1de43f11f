using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Estimation;

/// <summary>Cost estimates: the arithmetic from probes, cached tasks at 0, corrections learnt from runs, the store per machine, budgets.</summary>
public sealed class EstimationTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly Probe Probe = new(TrainSecondsPerImage: 0.01, ForwardSecondsPerImage: 0.002,
        PeakMemoryMb: 900, GMacs: 0.04, Steps: 3, DateTime.UnixEpoch);

    [Fact]
    public void A_train_task_costs_its_epochs_of_train_and_validation_images_and_a_head_phase_costs_forward_passes()
    {
        var o = new OptimizerSpec("adam", 1e-3);
        Assert.Equal(3 * (100 * 0.01 + 20 * 0.002), TaskEstimator.TrainSeconds([new PhaseSpec("all", 3, o, ScheduleSpec.Constant)], 100, 20, Probe), 9);
        Assert.Equal(2 * (100 * 0.002 + 20 * 0.002) + 3 * (100 * 0.01 + 20 * 0.002),
            TaskEstimator.TrainSeconds([new PhaseSpec("head", 2, o, ScheduleSpec.Constant), new PhaseSpec("all", 3, o, ScheduleSpec.Constant)], 100, 20, Probe), 9);
    }

    [Fact]
    public void Cached_tasks_estimate_zero_and_the_train_estimate_carries_the_architectures_correction()
    {
        var spec = Yaml.Parse(Yaml.Basic(_temp.Sub("data"), mobilenetEpochs: 2));
        var graph = Yaml.Plan(spec);
        var plan = graph.Tasks.Select(t => new PlanEntry(t, t.Id.ToString().EndsWith("resnet18", StringComparison.Ordinal) ? TaskState.Cached : TaskState.Stale, [], null)).ToList();
        var sizes = new SplitSizes(100, 20, 20);
        var estimates = TaskEstimator.Estimate(spec, plan, sizes, _ => Probe, arch => arch == "mobilenet_v2" ? new Correction(1.5, 3) : Correction.None)
            .ToDictionary(e => e.Id);

        Assert.Equal(0, estimates["train:resnet18"].Seconds);
        Assert.Equal(2 * (100 * 0.01 + 20 * 0.002) * 1.5, estimates["train:mobilenet_v2"].Seconds!.Value, 9);
        Assert.Equal(900, estimates["train:mobilenet_v2"].PeakMemoryMb);
        Assert.Equal(40 * 0.002, estimates["eval:mobilenet_v2"].Seconds!.Value, 9);
        Assert.Null(estimates["data"].Seconds);
        Assert.Null(estimates["report"].Seconds);
    }

    [Fact]
    public void Split_sizes_follow_the_configured_fractions()
    {
        Assert.Equal(new SplitSizes(360, 120, 120), SplitSizes.Predict(600, new SplitSpec(0.2, 0.2, true, 42)));
    }

    [Fact]
    public void A_correction_is_the_geometric_mean_of_recent_ratios()
    {
        var c = Correction.None.After(2).After(8);
        Assert.Equal((4.0, 2), (Math.Round(c.Factor, 9), c.Runs));
        Assert.Equal(c, c.After(double.NaN));
        var settled = Enumerable.Range(0, 20).Aggregate(Correction.None, (x, _) => x.After(3));
        Assert.Equal(3, settled.Factor, 6);
    }

    [Fact]
    public void The_store_keeps_probes_and_corrections_per_machine()
    {
        var here = new EstimateStore(_temp.Path, TestMachines.Cpu(threads: 2));
        here.SaveProbe("resnet18", 32, 16, Probe);
        here.Refine("resnet18", 2);

        var again = new EstimateStore(_temp.Path, TestMachines.Cpu(threads: 2));
        Assert.Equal(Probe, again.ProbeFor("resnet18", 32, 16));
        Assert.Null(again.ProbeFor("resnet18", 64, 16));
        Assert.Equal(new Correction(2, 1), again.CorrectionFor("resnet18"));
        Assert.Null(new EstimateStore(_temp.Path, TestMachines.Cpu(threads: 4)).ProbeFor("resnet18", 32, 16));
    }

    [Theory]
    [InlineData("2h", 7200)]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("45s", 45)]
    public void Budgets_read_hours_minutes_and_seconds(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Budget.Parse(text));

    [Theory]
    [InlineData("2 hours")]
    [InlineData("")]
    [InlineData("0h")]
    [InlineData("h")]
    public void Anything_else_is_not_a_budget(string text) => Assert.Null(Budget.Parse(text));
}
