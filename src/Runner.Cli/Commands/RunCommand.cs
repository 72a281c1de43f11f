using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Runner.Cli.Progress;
using Runner.Core.Data;
using Runner.Core.Execution;
using Runner.Core.Reporting;
using Runner.Core.Util;
using Runner.Torch;
using Runner.Torch.Data;
using Runner.Torch.Evaluation;
using Runner.Torch.Models;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using Runner.Torch.Weights;

namespace Runner.Cli.Commands;

/// <summary><c>runner run FILE</c>: execute what is stale, reuse what is cached, write the report.</summary>
public static class RunCommand
{
    public static readonly Option<string> Device = new("--device")
    {
        Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto",
    };

    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "Intra-op threads for libtorch (0: one per core)", DefaultValueFactory = _ => 0,
    };

    public static readonly Option<bool> HashContent = new("--hash-content")
    {
        Description = "Fingerprint the dataset by SHA-256 of file contents instead of sizes and modification times",
    };

    static RunCommand()
    {
        Device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
    }

    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var progress = new Option<string>("--progress") { Description = "auto, rich or plain", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "rich", "plain");
        var json = new Option<bool>("--json") { Description = "Print the outcome of every task as JSON" };
        var command = new Command("run", "Run an experiment: execute stale tasks, reuse cached ones, write the report")
        {
            file, Device, Threads, progress, json, HashContent,
        };
        command.SetAction(p => CommandLine.Guard(() =>
            Run(p.GetValue(file)!, p.GetValue(Device)!, p.GetValue(Threads), p.GetValue(progress)!, p.GetValue(json), p.GetValue(HashContent))));
        return command;
    }

    public static int Run(string file, string device, int threads, string progressMode, bool json, bool hashContent = false)
    {
        var clock = Stopwatch.StartNew();
        var session = Session.Load(file, hashContent);
        var runtime = TorchRuntime.Start(device, threads);
        var graph = session.Plan(runtime);
        var log = Logging.Create();
        var engine = (IRunProgress progress) => new Engine(Session.OpenCache(), Executors(runtime, session), progress, log);

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var result = UseRichProgress(progressMode)
            ? RichProgress.Show(p => engine(p).Run(graph, session.Spec, cancel.Token))
            : engine(new PlainProgress(Console.Out, graph.Tasks.Count, TimeSpan.FromSeconds(10))).Run(graph, session.Spec, cancel.Token);

        if (json) Console.WriteLine(JsonSerializer.Serialize(result.Tasks.Select(t => new
        {
            id = t.Task.Id, key = t.Task.Key, outcome = t.Outcome.ToString().ToLowerInvariant(), seconds = t.Seconds, error = t.Error,
        }), Json.Options));
        PrintSummary(result, session, clock.Elapsed);
        // Bad input found by a task (e.g. truncated images in the data task) is the user's to fix, like a bad YAML file: exit 2.
        return result.Succeeded ? ExitCodes.Success : result.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.TasksFailed;
    }

    public static IEnumerable<ITaskExecutor> Executors(TorchRuntime runtime, Session session) =>
    [
        new DataExecutor(new ImageCheck()),
        new TrainExecutor(runtime, ArchRegistry.Default, WeightsStore.Default()),
        new EvalExecutor(runtime, ArchRegistry.Default),
        new TimeExecutor(runtime, ArchRegistry.Default),
        .. Session.EnsembleExecutors(runtime),
        new ReportExecutor(session.Templates),
    ];

    private static bool UseRichProgress(string mode) => mode switch
    {
        "rich" => true,
        "plain" => false,
        _ => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null,
    };

    private static void PrintSummary(RunResult result, Session session, TimeSpan elapsed)
    {
        var count = (Outcome o) => result.Tasks.Count(t => t.Outcome == o);
        if (count(Outcome.Cached) == result.Tasks.Count)
            Console.WriteLine($"All {result.Tasks.Count} tasks were cached; nothing re-executed ({elapsed.TotalSeconds:0.0} s).");
        else
            Console.WriteLine($"{result.Tasks.Count} tasks: {count(Outcome.Ran)} ran, {count(Outcome.Cached)} cached, " +
                $"{count(Outcome.Failed)} failed, {count(Outcome.Skipped)} skipped ({elapsed.TotalSeconds:0.0} s).");
        foreach (var failed in result.Tasks.Where(t => t.Outcome == Outcome.Failed))
            Console.Error.WriteLine($"FAILED {failed.Task.Id}: {failed.Error} (details: {Logging.Directory}/)");
        if (result.Tasks.Any(t => t.Task.Kind == "report" && t.Outcome is Outcome.Ran or Outcome.Cached))
            Console.WriteLine($"Report: {Path.Combine(session.Spec.Report.Output, "README.md")}");
    }
}
