using Runner.Core.Config;
using Runner.Core.Evaluation;
using Runner.Core.Reporting;
using Runner.Core.Results;

namespace Runner.Tests.Core.Reporting;

/// <summary>With repeats, the plot, its front and the headline are about configurations (mean over seeds), never a lucky seed.</summary>
public sealed class RepeatsReportTests
{
    /// <summary>
    /// The fixture's resnet18 and mobilenet_v2 each trained with seeds 1-3 (test log losses as given; timed once, on seed 1),
    /// mlnet_resnet18 trained once (0.3796), no ensembles.
    /// </summary>
    private static ExperimentResults Repeated(double[] resnet18, double[] mobilenet)
    {
        var current = ReportFixture.Current;
        var backbones = new List<BackboneResult> { current.Backbones[0] };
        var groups = new List<RepeatGroupResult>();
        foreach (var (name, losses) in new[] { ("resnet18", resnet18), ("mobilenet_v2", mobilenet) })
        {
            var b = current.Backbones.Single(x => x.Name == name);
            var seeds = losses.Select((loss, i) => b with
            {
                Name = $"{name}.seed{i + 1}",
                Metrics = b.Metrics with { Test = b.Metrics.Test with { LogLoss = loss, Accuracy = 0.8 + i / 100.0 } },
                Train = b.Train with { EpochSeconds = [.. b.Train.EpochSeconds.Select(s => s * (1 + i * 0.02))] },
                Timing = b.Timing with { TimedBy = i == 0 ? null : $"{name}.seed1" },
                Variant = new VariantResult(name, name, i + 1, new Dictionary<string, object>()),
                Bootstrap = null,
            }).ToList();
            backbones.AddRange(seeds);
            groups.Add(new RepeatGroupResult(name, name, new Dictionary<string, object>(), seeds.Select(s => s.Name).ToList(),
                new RepeatStats(3, [1, 2, 3], new RepeatTest(SeedInterval.Of(losses), SeedInterval.Of([0.80, 0.81, 0.82])),
                    SeedInterval.Of(seeds.Select(s => Runner.Core.Util.Statistics.Median(s.Train.EpochSeconds)).ToList()))));
        }
        return current with { Backbones = backbones, Ensembles = [], RepeatGroups = groups };
    }

    private static string Readme(ExperimentResults results) =>
        ReportWriter.Render(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), ReportModel.From(results)).Single().Text;

    [Fact]
    public void The_lowest_log_loss_names_a_configuration_and_whether_the_runner_up_is_told_apart()
    {
        var apart = ReportModel.From(Repeated([0.30, 0.31, 0.32], [0.50, 0.51, 0.52])).Verdict;
        var overlapping = ReportModel.From(Repeated([0.30, 0.36, 0.42], [0.50, 0.51, 0.52])).Verdict;

        Assert.StartsWith("Lowest test log loss: **resnet18** (0.3100 ± 0.0248 over 3 seeds; " +
            "ahead of the runner-up mlnet_resnet18, 0.3796, one seed, at 95 %);", apart);
        Assert.StartsWith("Lowest test log loss: resnet18 (0.3600 ± 0.1490 over 3 seeds), not told apart from the runner-up mlnet_resnet18 " +
            "(0.3796, one seed) at 95 %;", overlapping);
        // seed 1 of resnet18 (0.30) is the lowest single figure, but no claim is made about a seed
        Assert.DoesNotContain(".seed", apart);
    }

    [Fact]
    public void Fastest_inference_and_training_name_configurations_with_the_runner_up()
    {
        var verdict = ReportModel.From(Repeated([0.30, 0.31, 0.32], [0.50, 0.51, 0.52])).Verdict;

        Assert.Contains("fastest inference: **mobilenet_v2** (5.68 ms per image; ahead of the runner-up resnet18, 6.14 ms per image, at 95 %)",
            verdict);
        Assert.Contains("fastest training: **mobilenet_v2** (2.4 ± 0.1 s per epoch over 3 seeds; ahead of the runner-up resnet18, " +
            "3.8 ± 0.2 s per epoch over 3 seeds, at 95 %)", verdict);
    }

    [Fact]
    public void The_plot_and_its_front_have_one_point_per_configuration_with_the_seeds_interval()
    {
        var results = Repeated([0.30, 0.31, 0.32], [0.50, 0.51, 0.52]);

        var configurations = Configuration.Of(results);

        Assert.Equal(["mlnet_resnet18", "resnet18", "mobilenet_v2"], configurations.Select(c => c.Name));
        var resnet = configurations[1];
        Assert.Equal((0.31, 0.0248), (Math.Round(resnet.LogLoss.Value, 4), Math.Round(resnet.LogLoss.HalfWidth, 4)));
        Assert.Equal(0, configurations[0].LogLoss.HalfWidth);
        // resnet18 (6.14 ms, 0.31) beats mlnet_resnet18 (14.22 ms, 0.38) on both axes; mobilenet_v2 is the fastest
        Assert.Equal(["mobilenet_v2", "resnet18"], ParetoFront.Of(configurations).Order());
    }

    [Fact]
    public void The_inference_table_shows_each_timing_once_under_its_configuration()
    {
        var readme = Readme(Repeated([0.30, 0.31, 0.32], [0.50, 0.51, 0.52]));

        var inference = readme[readme.IndexOf("## Inference time", StringComparison.Ordinal)..
            readme.IndexOf("## Log loss", StringComparison.Ordinal)];
        Assert.Contains("| resnet18 | 32 | 0.037 | 6.14 |", inference);
        Assert.Contains("| 0.8100 ± 0.0248 |", inference);
        Assert.DoesNotContain(".seed", inference);
        var lines = inference.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => !l.StartsWith("| Backbone", StringComparison.Ordinal)));
        // every seed of a configuration on the front is marked in the quality table
        Assert.Contains("| resnet18.seed2 | 0.3100 |", readme);
    }
}
