using System.Diagnostics;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>Ctrl-C (SIGINT) during a run: running tasks stop, exit code 130 with a message, and nothing finished is lost.</summary>
public sealed class InterruptEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    [Fact]
    public async Task Ctrl_c_during_training_stops_with_130_and_the_next_run_continues_from_the_cache()
    {
        _experiment.WriteYaml(epochs: 20);
        using var process = Process.Start(
            RunnerProcess.StartInfo(_experiment.Root, new Dictionary<string, string>(), "run", "tiny.yaml", "--progress", "plain"))!;
        var error = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("[start] train:", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);

        var errorText = await error;
        Assert.True(process.ExitCode == 130, output + errorText);
        Assert.Contains("runner: interrupted by Ctrl-C (SIGINT)", errorText);
        Assert.DoesNotContain("train:mobilenet_v2: done", output);

        var again = _experiment.Runner("run", "tiny.yaml", "--progress", "plain");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("data: cached", again.Output);
    }

    public void Dispose() => _experiment.Dispose();
}
