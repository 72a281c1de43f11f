using System.Text.Json;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// <c>plan --estimate</c> probes once per machine and predicts every stale task; <c>run --budget</c> warns before
/// running; the finished train task records estimate and actual, and the architecture's correction learns from them.
/// </summary>
public sealed class EstimateEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    [Fact]
    public void Plan_estimates_run_warns_over_budget_and_the_run_refines_the_estimate()
    {
        var plan = _experiment.Runner("plan", "tiny.yaml", "--estimate", "--json");
        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        Assert.Contains("probing mobilenet_v2@16px/b4", plan.Error);
        double trainEstimate, planTotal;
        using (var json = JsonDocument.Parse(plan.Output))
        {
            var tasks = json.RootElement.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
            trainEstimate = tasks["train:mobilenet_v2"].GetProperty("estimate_seconds").GetDouble();
            Assert.True(trainEstimate > 0);
            Assert.True(tasks["train:mobilenet_v2"].GetProperty("peak_memory_mb").GetDouble() > 0);
            Assert.False(tasks["data"].TryGetProperty("estimate_seconds", out _)); // no model for the data task: left out
            planTotal = json.RootElement.GetProperty("total_seconds").GetDouble();
            Assert.True(planTotal >= trainEstimate);
        }

        var run = _experiment.Runner("run", "tiny.yaml", "--budget", "1s");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // The run estimates from the same stored probe as the plan: it warns exactly when that total exceeds the budget
        // (whether it does depends on this machine's speed: the tiny experiment trains in about a second).
        Assert.Equal(planTotal > 1, run.Error.Contains("warning: estimated"));
        if (planTotal > 1) Assert.Contains("exceeds the budget of 1 s", run.Error);
        Assert.DoesNotContain("probing", run.Error); // measured once per machine

        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_experiment.ReportDir, "results.json"))))
        {
            var train = results.RootElement.GetProperty("backbones")[0].GetProperty("train");
            Assert.Equal(trainEstimate, train.GetProperty("estimated_seconds").GetDouble(), 6);
            Assert.True(train.GetProperty("task_seconds").GetDouble() > 0);
        }
        Assert.Contains("## Training time: estimate vs actual", File.ReadAllText(Path.Combine(_experiment.ReportDir, "README.md")));

        var store = Directory.GetFiles(Path.Combine(_experiment.Root, ".runner", "estimates"), "*.json").Single();
        using (var contents = JsonDocument.Parse(File.ReadAllText(store)))
            Assert.Equal(1, contents.RootElement.GetProperty("corrections").GetProperty("mobilenet_v2").GetProperty("runs").GetInt32());

        using (var contents = JsonDocument.Parse(File.ReadAllText(store)))
        {
            var machine = contents.RootElement.GetProperty("machine").GetProperty("id").GetString();
            Assert.Equal(machine, Path.GetFileNameWithoutExtension(store));
            Assert.Equal(machine, contents.RootElement.GetProperty("probes").GetProperty("mobilenet_v2@16px/b4").GetProperty("machine").GetString());
        }

        var cached = _experiment.Runner("plan", "tiny.yaml", "--estimate", "--json");
        using var again = JsonDocument.Parse(cached.Output);
        Assert.Equal(0, again.RootElement.GetProperty("total_seconds").GetDouble());
    }

    [Fact]
    public void Each_probe_reports_its_own_peak_memory_not_what_an_earlier_probe_left_and_names_its_machine()
    {
        // resnet18 at 64 px, batch 8 needs far more memory than mobilenet_v2 at 16 px, batch 4, and is probed first.
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace(
            "  - { name: mobilenet_v2, epochs: 1 }",
            "  - { name: resnet18, epochs: 1, image_size: 64, batch_size: 8 }\n  - { name: mobilenet_v2, epochs: 1 }"));

        var plan = _experiment.Runner("plan", "tiny.yaml", "--estimate", "--json");

        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        Assert.True(plan.Error.IndexOf("probing resnet18@64px/b8", StringComparison.Ordinal)
            < plan.Error.IndexOf("probing mobilenet_v2", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(plan.Output);
        var tasks = json.RootElement.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
        var (resnet, mobilenet) = (tasks["train:resnet18"].GetProperty("peak_memory_mb").GetDouble(),
            tasks["train:mobilenet_v2"].GetProperty("peak_memory_mb").GetDouble());
        Assert.True(mobilenet < resnet - 50, $"mobilenet_v2's probe peaked at {mobilenet:0} MB, resnet18's at {resnet:0} MB: not its own peak");
        var machine = json.RootElement.GetProperty("machine").GetProperty("id").GetString();
        Assert.Equal(machine, tasks["train:mobilenet_v2"].GetProperty("machine").GetString());
    }

    public void Dispose() => _experiment.Dispose();
}
