using Runner.Core.Config;
using Runner.Core.Machines;
using Runner.Core.Reporting;
using Runner.Core.Results;

namespace Runner.Tests.Core.Reporting;

/// <summary>A report whose figures came from two machines lists them, marks each row's machine and never compares times across them.</summary>
public sealed class MachinesReportTests
{
    private static readonly Machine Laptop = new("cpu", "Intel Core i7-1165G7", "Intel Core i7-1165G7", 8, 1, "2.10.0.0", "0.107.0", "cpu");

    /// <summary>The fixture with mobilenet_v2 trained on <see cref="Laptop"/> (faster per epoch than all on M1), timed on M1 as the rest.</summary>
    private static ExperimentResults TwoMachines()
    {
        var current = ReportFixture.Current;
        return current with
        {
            Machines = [.. current.Machines, Laptop],
            Backbones = current.Backbones.Select(b => b.Name != "mobilenet_v2" ? b : b with
            {
                Train = b.Train with { Machine = Laptop.Id, EpochSeconds = [1.1, 1.2, 1.0, 1.1, 1.1], ImagesPerSecond = 300 },
            }).ToList(),
        };
    }

    private static string Readme(ExperimentResults results) =>
        ReportWriter.Render(ReportTemplates.Load(new ReportSpec(ReportTemplates.Default, "unused")), ReportModel.From(results)).Single().Text;

    [Fact]
    public void The_header_and_a_machines_section_name_both_machines_and_what_each_measured()
    {
        var readme = Readme(TwoMachines());

        Assert.Contains("| Machines | M1: AMD EPYC 7B13, 2 cores, 2 threads; M2: Intel Core i7-1165G7, 8 cores, 1 thread " +
            "(see [Machines](#machines)) |", readme);
        Assert.Contains("## Machines", readme);
        Assert.Contains($"| M1 | `{ReportFixture.Current.Machines[0].Id}` | AMD EPYC 7B13, 2 cores, 2 threads | mlnet_resnet18, resnet18 | " +
            "mlnet_resnet18, resnet18, mobilenet_v2 |", readme);
        Assert.Contains($"| M2 | `{Laptop.Id}` | Intel Core i7-1165G7, 8 cores, 1 thread | mobilenet_v2 | – |", readme);
    }

    [Fact]
    public void The_training_table_and_results_csv_say_which_machine_trained_each_backbone()
    {
        var results = TwoMachines();
        var readme = Readme(results);

        Assert.Contains("| Params | Trainable | GMACs | Trained on |", readme);
        Assert.Contains("| 2,225,153 | 2,225,153 | 0.006 | M2 |", readme);
        Assert.Contains("| 11,177,025 | 11,177,025 | 0.037 | M1 |", readme);
        var csv = ResultsCsv.Rows(results).ToList();
        var column = ResultsCsv.Columns.ToList().IndexOf("train_machine");
        Assert.Equal([ReportFixture.Current.Machines[0].Id, ReportFixture.Current.Machines[0].Id, Laptop.Id, null, null], csv.Select(r => r[column]));
        Assert.Contains("| At batch | Test accuracy | Timed on |", readme);
        Assert.DoesNotContain("Trained on", Readme(ReportFixture.Current)); // one machine: nothing to tell apart
    }

    [Fact]
    public void Each_machine_gets_its_own_best_training_time()
    {
        var readme = Readme(TwoMachines());

        // resnet18 (3.73 s) is the fastest of M1's; mobilenet_v2 (1.10 s) was trained on M2, so it is not faster than them, only M2's best.
        Assert.Contains("| resnet18 | none | 32 | 16 | 5 | **3.73** |", readme);
        Assert.Contains("| mobilenet_v2 | none | 32 | 16 | 5 | **1.10** |", readme);
        Assert.Equal("", ReportModel.From(TwoMachines()).Best.EpochSeconds);
    }

    [Fact]
    public void Fastest_training_is_claimed_per_machine_and_fastest_inference_once_for_the_one_that_timed()
    {
        var verdict = ReportModel.From(TwoMachines()).Verdict;

        Assert.Contains("fastest training on M1: **resnet18** (3.7 s per epoch; ahead of the runner-up mlnet_resnet18, 8.6 s per epoch, at 95 %); " +
            "fastest training on M2: **mobilenet_v2** (1.1 s per epoch)", verdict);
        Assert.DoesNotContain("fastest training:", verdict);
        Assert.Contains("fastest inference: **mobilenet_v2**", verdict);
    }
}
