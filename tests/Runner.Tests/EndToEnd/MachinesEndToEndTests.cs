using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// The thread count is part of a machine: a run with 1 thread then one with 2 reuses the training (measured with 1) and
/// times again (with 2). results.json and the README say which figure came from which machine; --retime trains again.
/// </summary>
public sealed class MachinesEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new(imagesPerClass: 8);

    public void Dispose() => _experiment.Dispose();

    private JsonElement Results()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json")));
        return json.RootElement.Clone();
    }

    [Fact]
    public void Training_reused_from_another_machine_is_labelled_with_it_and_retime_measures_it_here()
    {
        var one = _experiment.Runner("run", "tiny.yaml", "--threads", "1");
        Assert.True(one.ExitCode == 0, one.Output + one.Error);
        var oneThread = Results().GetProperty("machines").EnumerateArray().Single();
        Assert.Equal(1, oneThread.GetProperty("threads").GetInt32());

        var two = _experiment.Runner("run", "tiny.yaml", "--threads", "2");
        Assert.True(two.ExitCode == 0, two.Output + two.Error);
        Assert.Contains("note: 1 cached training was measured on another machine", two.Error);
        var results = Results();
        var machines = results.GetProperty("machines").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("threads").GetInt32());
        Assert.Equal(2, machines.Count);
        var backbone = results.GetProperty("backbones")[0];
        var trainedOn = backbone.GetProperty("train").GetProperty("machine").GetString()!;
        var timedOn = backbone.GetProperty("timing").GetProperty("machine").GetString()!;
        Assert.Equal(oneThread.GetProperty("id").GetString(), trainedOn);
        Assert.Equal((1, 2), (machines[trainedOn], machines[timedOn]));
        Assert.Equal(timedOn, results.GetProperty("environment").GetProperty("machine").GetString());
        var readme = File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md"));
        Assert.Contains("## Machines", readme);
        Assert.Matches(@"\| M1 \| `" + trainedOn + @"` \| .*, 1 thread \| mobilenet_v2 \| – \|", readme);
        Assert.Matches(@"\| M2 \| `" + timedOn + @"` \| .*, 2 threads \| – \| mobilenet_v2 \|", readme);
        Assert.Matches(@"\| mobilenet_v2 \| .*\| M1 \|\n", readme); // training table: trained on M1
        Assert.Contains("| Timed on |", readme);

        var retime = _experiment.Runner("run", "tiny.yaml", "--threads", "2", "--retime");
        Assert.True(retime.ExitCode == 0, retime.Output + retime.Error);
        Assert.Contains("--retime: training 1 again on this machine (train:mobilenet_v2)", retime.Error);
        results = Results();
        Assert.Equal(timedOn, results.GetProperty("machines").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Equal(timedOn, results.GetProperty("backbones")[0].GetProperty("train").GetProperty("machine").GetString());
        Assert.DoesNotContain("## Machines", File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md")));

        var again = _experiment.Runner("run", "tiny.yaml", "--threads", "2", "--retime");
        Assert.Contains("were cached; nothing re-executed", again.Output); // nothing left to re-time
    }

    [Fact]
    public void Data_bench_names_the_machine_it_measured_on_as_doctor_does()
    {
        var bench = _experiment.Runner("data", "bench", "tiny.yaml", "--epochs", "1", "--workers", "1");
        var doctor = _experiment.Runner("doctor");

        Assert.True(bench.ExitCode == 0, bench.Output + bench.Error);
        var id = System.Text.RegularExpressions.Regex.Match(doctor.Output, @"machine +([0-9a-f]{12}) ").Groups[1].Value;
        Assert.Matches("^[0-9a-f]{12}$", id);
        Assert.Contains($"machine {id}: ", bench.Output);
        Assert.Contains($"RESULT machine={id} workers=1 ", bench.Output);
    }
}
