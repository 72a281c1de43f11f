using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Runner.Cli.Progress;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Util;
using Runner.Torch;
using Runner.Torch.Data;
using Runner.Torch.Devices;

namespace Runner.Cli.Commands;

/// <summary><c>runner run FILE</c>: execute what is stale, reuse what is cached, write the report.</summary>
internal static class RunCommand
{
    public static readonly Option<string> Device = CommandLine.DeviceOption();

    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "Intra-op threads for libtorch (0: one per core)", DefaultValueFactory = _ => 0,
    };

    /// <summary>Kept so that scripts passing it still work: datasets are always keyed by content now.</summary>
    public static readonly Option<bool> HashContent = new("--hash-content")
    {
        Description = "No effect (datasets are always keyed by file contents)", Hidden = true,
    };

    /// <summary>Scheduling and selection flags (README, "Scheduling").</summary>
    public sealed record Scheduling(int Jobs, int DeviceJobs, bool KeepGoing, string[] Only, string[] Force, string? Shard)
    {
        public static readonly Scheduling Default = new(Environment.ProcessorCount, 1, true, [], [], null);
        /// <summary><c>--devices</c>: all, or CUDA indices.</summary>
        public string Devices { get; init; } = DeviceSelection.All;
        /// <summary><c>--budget</c>: warn before running when the estimate exceeds it.</summary>
        public TimeSpan? Budget { get; init; }
        /// <summary><c>--retime</c>: train again here what another machine trained, so that every time is this machine's.</summary>
        public bool Retime { get; init; }
    }

    private static readonly Option<int> Jobs = new("--jobs", "-j")
    {
        Description = "Tasks at once (CPU tasks in parallel; device tasks still one per device slot, timing alone)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    private static readonly Option<int> DeviceJobs = new("--device-jobs")
    {
        Description = "Train/eval tasks at once on each device (default 1: on the CPU each already uses every core)",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<string> Devices = new("--devices")
    {
        Description = "GPUs device tasks are spread over, one task per GPU: all (every visible one) or indices such as 0,2,3",
        DefaultValueFactory = _ => DeviceSelection.All,
    };

    private static readonly Option<bool> KeepGoing = new("--keep-going")
    {
        Description = "After a failure, finish every task that does not depend on it (the default)", DefaultValueFactory = _ => true,
    };

    private static readonly Option<bool> FailFast = new("--fail-fast", "--no-keep-going")
    {
        Description = "After a failure, start nothing new (running tasks finish)",
    };

    private static readonly Option<string[]> Only = new("--only")
    {
        Description = "Run only tasks whose id matches GLOB (e.g. 'train:efficientnet_*') and what they need; repeatable or comma-separated",
    };

    private static readonly Option<string[]> Force = new("--force")
    {
        Description = "Re-execute tasks matching GLOB and their dependents even if cached; repeatable or comma-separated",
    };

    private static readonly Option<bool> Retime = new("--retime")
    {
        Description = "Train again here the cached trainings another machine ran (and what depends on them), so every time is this machine's",
    };

    private static readonly Option<string> Shard = new("--shard")
    {
        Description = "K/N: run the K-th of N deterministic shares of the experiment's branches (for a CI matrix; no report)",
    };

    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var progress = new Option<string>("--progress") { Description = "auto, rich or plain", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "rich", "plain");
        var json = new Option<bool>("--json") { Description = "Print the outcome of every task as JSON" };
        var command = new Command("run", "Run an experiment: execute stale tasks, reuse cached ones, write the report")
        {
            file, Device, Threads, progress, json, HashContent, Jobs, DeviceJobs, Devices, KeepGoing, FailFast, Only, Force, Shard, Retime,
            Estimates.BudgetOption, RemoteOptions.Remote, RemoteOptions.NoRemote,
        };
        command.SetAction(p => CommandLine.Guard(() =>
            Run(p.GetValue(file)!, p.GetValue(Device)!, p.GetValue(Threads), p.GetValue(progress)!, p.GetValue(json), p.GetValue(HashContent),
                new Scheduling(p.GetValue(Jobs), p.GetValue(DeviceJobs), p.GetValue(KeepGoing) && !p.GetValue(FailFast),
                    p.GetValue(Only) ?? [], p.GetValue(Force) ?? [], p.GetValue(Shard))
                {
                    Budget = Estimates.ParseBudget(p.GetValue(Estimates.BudgetOption)), Retime = p.GetValue(Retime), Devices = p.GetValue(Devices)!,
                },
                RemoteOptions.From(p))));
        return command;
    }

    public static int Run(string file, string device, int threads, string progressMode, bool json, bool hashContent = false,
        Scheduling? scheduling = null, RemoteOptions.Choice? remoteChoice = null)
    {
        var clock = Stopwatch.StartNew();
        scheduling ??= Scheduling.Default;
        Concurrency.Require("--jobs", scheduling.Jobs, 1, Concurrency.MaxJobs);
        Concurrency.Require("--device-jobs", scheduling.DeviceJobs, 1, Concurrency.MaxDeviceJobs);
        BatchLoader.DefaultWorkers(); // a bad RUNNER_LOADER_WORKERS stops the run here, not in its first training task
        var session = Session.Load(file, hashContent);
        using var remote = RemoteOptions.Open(remoteChoice);
        var runtime = TorchRuntime.Start(device, threads, scheduling.Devices);
        var (graph, selected) = Select(session.Plan(runtime), scheduling);
        var environment = TaskEnvironment.Of(session.Spec);
        var options = WithRetime(graph, selected with { Environment = environment, Remote = remote, Devices = runtime.Devices }, runtime,
            scheduling.Retime);
        session.RequireWeights(graph, Session.OpenCache(), options.Force, remote);
        // With --budget, the stale tasks are estimated first (probing once per machine); over budget is a warning, not a stop.
        if (scheduling.Budget is { } budget)
            Estimates.WarnIfOverBudget(Estimates.Compute(session, runtime, Staleness.Explain(graph, Session.OpenCache(), remote), Console.Error),
                budget, Console.Error);
        var log = Logging.Create();
        var bindings = TaskKindRegistry.Bindings(runtime, session);
        var engine = (IRunProgress progress) => new Engine(Session.OpenCache(), bindings, progress, log, options);

        // With --json, stdout carries the JSON alone: progress and the summary go to stderr.
        var human = json ? Console.Error : Console.Out;
        RunResult result;
        try
        {
            result = !json && UseRichProgress(progressMode)
                ? RichProgress.Show(p => engine(p).Run(graph, Interruption.Token))
                : engine(new PlainProgress(human, graph.Tasks.Count, TimeSpan.FromSeconds(10))).Run(graph, Interruption.Token);
        }
        catch (OperationCanceledException) when (Interruption.Requested)
        {
            Console.Error.WriteLine($"runner: interrupted by {Interruption.SignalName} after {clock.Elapsed.TotalSeconds:0.0} s; " +
                "finished tasks stay in the cache and training resumes from its last finished epoch: run the same command again to continue");
            return Interruption.ExitCode;
        }
        DecodedImages.WaitForFills(Console.Error); // a cache whose first users are done still completes, so the next run reads it

        if (json) Console.WriteLine(JsonSerializer.Serialize(result.Tasks.Select(t => new
        {
            id = t.Task.Id, key = t.Task.Key, outcome = t.Outcome.ToString().ToLowerInvariant(), seconds = t.Seconds, error = t.Error,
            note = t.Note, log_file = t.LogFile, from_remote = t.FromRemote,
        }), Json.Options));
        PrintSummary(human, result, clock.Elapsed);
        PrintOutputs(human, result, bindings, environment);
        if (remote is { Unavailable: null }) human.WriteLine(CacheSyncCommand.Summary(remote));
        else if (remote is not null && result.Tasks.Any(t => t.Outcome == Outcome.Ran))
            human.WriteLine("The remote cache became unavailable: entries made after that are in the local cache only; " +
                "'runner cache push' uploads them later.");
        if (scheduling.Shard is not null && !graph.Tasks.Any(t => t.Descriptor.Gathers))
            human.WriteLine($"Shard {scheduling.Shard}: {graph.Tasks.Count} tasks. When every shard is done, 'runner run {file}' on the shared cache runs what joins them and writes the report.");
        // Bad input found by a task (e.g. truncated images in the data task) is the user's to fix, like a bad YAML file: exit 2.
        return result.Succeeded ? ExitCodes.Success : result.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.TasksFailed;
    }

    /// <summary>Applies <c>--only</c>, <c>--shard</c> and <c>--force</c> to the planned graph.</summary>
    private static (TaskGraph, EngineOptions) Select(TaskGraph graph, Scheduling s)
    {
        // A value with no pattern in it ('', ',,,') is a mistake (an unset variable in a script), not "everything".
        static string[] Globs(string option, string[] values) => values.SelectMany(v => v.Split(',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } globs
                ? globs
                : throw new UsageException($"{option} '{v}': no task pattern in it (e.g. {option} 'train:*')")).ToArray();
        try
        {
            if (Globs("--only", s.Only) is { Length: > 0 } only) graph = TaskSelection.Only(graph, only);
            if (s.Shard is { } shard) graph = TaskSelection.Shard(graph, ShardPart(shard, 0), ShardPart(shard, 1));
            var forced = TaskSelection.Forced(graph, Globs("--force", s.Force));
            return (graph, new EngineOptions
            {
                Jobs = s.Jobs, DeviceSlots = s.DeviceJobs, KeepGoing = s.KeepGoing, Force = forced,
                TaskLogDirectory = Path.Combine(Logging.Directory, "tasks"),
            });
        }
        catch (TaskSelectionException e)
        {
            throw new UsageException(e.Message);
        }

        int ShardPart(string shard, int i) =>
            shard.Split('/') is [var k, var n] && int.TryParse(i == 0 ? k : n, out var value)
                ? value
                : throw new UsageException($"--shard '{shard}': expected K/N, e.g. 2/4");
    }

    /// <summary>
    /// Trainings are reused from whichever machine ran them. With <c>--retime</c>, those another machine ran (and their
    /// dependents) run again here; without it, a note says how many there are.
    /// </summary>
    private static EngineOptions WithRetime(TaskGraph graph, EngineOptions options, TorchRuntime runtime, bool retime)
    {
        var elsewhere = Core.Machines.Retime.TrainedElsewhere(graph, Session.OpenCache(), runtime.Machine()).Except(options.Force).ToList();
        if (elsewhere.Count == 0) return options;
        if (!retime)
        {
            var names = string.Join(", ", elsewhere.Take(3)) + (elsewhere.Count > 3 ? ", …" : "");
            Console.Error.WriteLine($"note: {elsewhere.Count} cached training{(elsewhere.Count == 1 ? " was" : "s were")} measured on another " +
                $"machine or an unrecorded one ({names}): the report labels each time with its machine; --retime trains them again here");
            return options;
        }
        Console.Error.WriteLine($"--retime: training {elsewhere.Count} again on this machine ({string.Join(", ", elsewhere)}) " +
            "and what depends on them");
        return options with { Force = TaskSelection.WithDependents(graph, options.Force.Concat(elsewhere)) };
    }

    private static bool UseRichProgress(string mode) => mode switch
    {
        "rich" => true,
        "plain" => false,
        _ => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null,
    };

    private static void PrintSummary(TextWriter output, RunResult result, TimeSpan elapsed)
    {
        var count = (Outcome o) => result.Tasks.Count(t => t.Outcome == o);
        var remote = result.Tasks.Count(t => t.FromRemote) is var fetched and > 0 ? $" ({fetched} from the remote cache)" : "";
        if (result.Tasks.Count == 0)
            output.WriteLine("No task selected.");
        else if (count(Outcome.Cached) == result.Tasks.Count)
            output.WriteLine($"All {result.Tasks.Count} tasks were cached{remote}; nothing re-executed ({elapsed.TotalSeconds:0.0} s).");
        else
            output.WriteLine($"{result.Tasks.Count} tasks: {count(Outcome.Ran)} ran, {count(Outcome.Cached)} cached{remote}, " +
                $"{count(Outcome.Failed)} failed, {count(Outcome.Skipped)} skipped ({elapsed.TotalSeconds:0.0} s).");
        foreach (var noted in result.Tasks.Where(t => t.Note is not null))
            output.WriteLine($"NOTE {noted.Task.Id}: {noted.Note}");
        foreach (var failed in result.Tasks.Where(t => t.Outcome == Outcome.Failed))
            Console.Error.WriteLine($"FAILED {failed.Task.Id}: {failed.Error}{Environment.NewLine}       log: {failed.LogFile ?? Logging.Directory + "/"}");
        foreach (var cause in result.Tasks.Where(t => t.Outcome == Outcome.Skipped).GroupBy(t => t.Error))
            Console.Error.WriteLine($"SKIPPED {string.Join(", ", cause.Select(t => t.Task.Id))} ({cause.Key})");
    }

    /// <summary>Where each finished task's output outside the cache is (<c>Report: …/README.md</c>, <c>Export: …</c>).</summary>
    internal static void PrintOutputs(TextWriter output, RunResult result, IEnumerable<TaskBinding> bindings, TaskEnvironment environment)
    {
        var executors = bindings.ToDictionary(b => b.Kind, b => b.Executor);
        foreach (var t in result.Tasks.Where(t => t.Outcome is Outcome.Ran or Outcome.Cached))
            if (executors[t.Task.Kind] is IMaterializes materialized) output.WriteLine(materialized.Describe(t.Task, environment));
    }
}
