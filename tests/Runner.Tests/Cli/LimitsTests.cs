using System.CommandLine;
using Runner.Cli;
using Runner.Core.Ensembles;
using Runner.Core.Evaluation;
using Runner.Core.Execution;
using Runner.Tests.Fixtures;
using Runner.Torch;

namespace Runner.Tests.Cli;

/// <summary>
/// Counts and devices out of range are invalid input (exit 2) before anything runs; diverged (non-finite) scores give
/// metrics instead of a hang; long loops outside training stop when cancelled.
/// </summary>
public sealed class LimitsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Experiment()
    {
        foreach (var c in new[] { "a", "b" })
            for (var i = 0; i < 2; i++) _dir.File($"data/{c}/{i}.png");
        return _dir.File("exp.yaml", Yaml.Lines(
            $"name: limits-{Guid.NewGuid():N}",
            "dataset:",
            "  kind: folder",
            $"  path: {Path.Combine(_dir.Path, "data")}",
            "backbones: [resnet18]"));
    }

    [Theory]
    [InlineData("--threads", "100000")]
    [InlineData("--threads", "-1")]
    [InlineData("--jobs", "0")]
    [InlineData("--jobs", "100000")]
    [InlineData("--device-jobs", "-3")]
    [InlineData("--device-jobs", "1000")]
    public void Out_of_range_counts_stop_a_valid_run_with_exit_2(string option, string value)
    {
        var file = Experiment();
        Assert.Equal(ExitCodes.Success, CommandLine.Build().Parse(["validate", file]).Invoke(new InvocationConfiguration()));

        var code = CommandLine.Build().Parse(["run", file, option, value, "--progress", "plain"]).Invoke(new InvocationConfiguration());

        Assert.Equal(ExitCodes.InvalidInput, code);
    }

    [Fact]
    public void The_bounds_name_the_option_and_the_range()
    {
        var e = Assert.Throws<InvalidInputException>(() => TorchRuntime.Start("cpu", 100_000));
        Assert.Equal($"--threads 100000: expected a whole number from 0 to {Concurrency.MaxThreads}", e.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("100000")]
    public void A_bad_count_in_an_environment_variable_is_invalid_input_not_a_silent_default(string value)
    {
        // What BatchLoader.DefaultWorkers does with RUNNER_LOADER_WORKERS, on a variable of this test's own (tests run side by side).
        var variable = "RUNNER_TEST_WORKERS_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            var e = Assert.Throws<InvalidInputException>(() => Concurrency.FromEnvironment(variable, 1, Concurrency.MaxThreads));
            Assert.StartsWith($"{variable}={value}: expected a whole number from 1 to", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Cuda_on_a_cpu_build_is_one_line_and_exit_2()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // a CUDA machine: the device exists
        var file = Experiment();
        Assert.Equal(ExitCodes.InvalidInput, CommandLine.Build().Parse(["plan", file, "--device", "cuda"]).Invoke(new InvocationConfiguration()));
        Assert.StartsWith("--device cuda: no CUDA device is available", Assert.Throws<InvalidInputException>(() => TorchRuntime.Start("cuda")).Message);
    }

    [Fact]
    public async Task Metrics_over_non_finite_scores_finish_and_say_not_a_number()
    {
        double[][] rows = [[double.NaN, double.NaN], [0.2, 0.8], [double.NaN, double.NaN], [double.PositiveInfinity, double.NegativeInfinity]];
        int[] labels = [0, 1, 1, 0];
        var metrics = Task.Run(() => Metrics.Summarize(new Runner.Core.Results.SplitPredictions(["a", "b", "c", "d"], labels, rows), ["x", "y"]));

        Assert.True(await Task.WhenAny(metrics, Task.Delay(TimeSpan.FromSeconds(10))) == metrics, "metrics over NaN scores did not finish");
        var summary = await metrics;
        Assert.True(double.IsNaN(summary.Auc!.Value));
        Assert.True(double.IsNaN(summary.LogLoss));
        Assert.Equal(4, summary.Confusion!.Sum(row => row.Sum()));
        // Ties among finite scores still rank as before.
        Assert.Equal(0.5, Metrics.BinaryAuc([[0.5, 0.5], [0.5, 0.5]], [0, 1]));
    }

    [Fact]
    public void An_ensemble_fit_stops_when_cancelled()
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, 40).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var labels = Enumerable.Range(0, 40).Select(i => i % 2).ToArray();
        var split = new EnsembleSplit(Enumerable.Range(0, 40).Select(i => $"i{i}").ToList(), labels, [rows, rows], rows);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => CrossFit.Run(new MlpStacker([8], 100, 1e-3, 8), split, split, 2, 1, cancel.Token));
    }
}
