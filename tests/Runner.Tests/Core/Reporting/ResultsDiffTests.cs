using Runner.Core.Machines;
using Runner.Core.Reporting;
using Runner.Core.Results;

namespace Runner.Tests.Core.Reporting;

public sealed class ResultsDiffTests
{
    private static readonly ExperimentResults Current = ReportFixture.Current;

    private static ExperimentResults WithMobileNetLatency(ExperimentResults results, double median) => results with
    {
        Backbones = results.Backbones.Select(b => b.Name != "mobilenet_v2" ? b : b with
        {
            Timing = b.Timing with { LatencyMs = new Dictionary<string, LatencyStats>(b.Timing.LatencyMs) { ["1"] = b.Timing.LatencyMs["1"] with { Median = median } } },
        }).ToList(),
    };

    [Fact]
    public void The_same_results_change_nothing()
    {
        var diff = ResultsDiff.Compare(Current, Current);

        Assert.Empty(diff.Changes);
        Assert.Equal(16, diff.WithinNoise); // 3 backbones × 4 figures + 2 ensembles × 2
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
    }

    [Fact]
    public void A_latency_move_inside_its_threshold_is_noise_and_one_beyond_it_is_marked()
    {
        // mobilenet_v2: median 5.68 ms, IQR 0.52, n 50 in both runs → threshold max(3·√2·√(π/2)·0.52/1.349/√50, 5 % of 5.68) = 0.29 ms.
        var threshold = NoiseThreshold.Timing(5.68, 0.52, 50, 0.52, 50);
        Assert.Equal(0.29, threshold, 2);

        var slightlySlower = ResultsDiff.Compare(Current, WithMobileNetLatency(Current, 5.90));
        var muchSlower = ResultsDiff.Compare(Current, WithMobileNetLatency(Current, 6.10));

        Assert.Empty(slightlySlower.Changes);
        var change = Assert.Single(muchSlower.Changes);
        Assert.Equal(("mobilenet_v2", "latency ms (batch 1)", "▲", false), (change.Name, change.Metric, change.Mark, change.Improved));
    }

    private static readonly Machine H200 = new("cuda", "NVIDIA H200", "Intel Xeon", 16, 16, "2.10.0.0", "0.107.0", "cuda") { Driver = "570.1" };

    /// <summary>As <paramref name="results"/>, every figure measured on <paramref name="machine"/> (training only, or timing too).</summary>
    private static ExperimentResults On(ExperimentResults results, Machine machine, bool timing = true) => results with
    {
        Environment = timing ? EnvironmentInfo.Of(machine) : results.Environment,
        Machines = [.. results.Machines, machine],
        Backbones = results.Backbones.Select(b => b with
        {
            Train = b.Train with { Machine = machine.Id, EpochSeconds = [.. b.Train.EpochSeconds.Select(s => s / 10)] },
            Timing = timing ? b.Timing with { Machine = machine.Id } : b.Timing,
        }).ToList(),
    };

    [Fact]
    public void Timings_from_other_hardware_are_not_compared_and_new_or_gone_entries_are_listed()
    {
        var elsewhere = On(WithMobileNetLatency(Current, 1.0), H200) with { Ensembles = [Current.Ensembles[0]] };

        var diff = ResultsDiff.Compare(Current, elsewhere);

        Assert.False(diff.SameHardware);
        Assert.DoesNotContain(diff.Lines, l => l.Metric.Contains("latency") || l.Metric.Contains("epoch"));
        Assert.Empty(diff.Changes);
        Assert.Equal(["small"], diff.Removed);
    }

    [Fact]
    public void Epoch_times_trained_on_another_machine_are_not_compared_with_these_but_timings_made_here_are()
    {
        var retrained = On(WithMobileNetLatency(Current, 6.10), H200, timing: false);

        var diff = ResultsDiff.Compare(Current, retrained);

        Assert.True(diff.SameHardware);
        Assert.DoesNotContain(diff.Lines, l => l.Metric.Contains("epoch"));
        Assert.Equal("mobilenet_v2", Assert.Single(diff.Changes).Name); // its latency, timed on the same machine
    }

    [Fact]
    public void Accuracy_needs_more_than_two_binomial_standard_errors_and_at_least_one_image()
    {
        Assert.Equal(2 * Math.Sqrt(2 * 0.8 * 0.2 / 100), NoiseThreshold.Accuracy(0.8, 100, 0.8, 100), 12);
        Assert.Equal(1.0 / 50, NoiseThreshold.Accuracy(1.0, 50, 1.0, 80), 12);
    }
}
