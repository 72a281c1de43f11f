using System.CommandLine;
using System.Text.Json;
using Runner.Core.Planning;
using Runner.Core.Util;
using Runner.Torch;

namespace Runner.Cli.Commands;

/// <summary><c>runner plan FILE</c>: what would run and why; nothing executes.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON" };
        var command = new Command("plan", "Show which tasks are stale and why; nothing executes")
        {
            file, RunCommand.Device, RunCommand.Threads, json, RunCommand.HashContent, Estimates.Estimate, Estimates.BudgetOption,
            RemoteOptions.Remote, RemoteOptions.NoRemote,
        };
        command.SetAction(p => CommandLine.Guard(() => Plan(p.GetValue(file)!, p.GetValue(RunCommand.Device)!, p.GetValue(RunCommand.Threads), p.GetValue(json),
            p.GetValue(RunCommand.HashContent), p.GetValue(Estimates.Estimate), p.GetValue(Estimates.BudgetOption), RemoteOptions.From(p))));
        return command;
    }

    /// <param name="estimate"><c>--estimate</c> (implied by <paramref name="budget"/>): adds each task's predicted seconds and peak memory.</param>
    public static int Plan(string file, string device, int threads, bool json, bool hashContent = false, bool estimate = false, string? budget = null,
        RemoteOptions.Choice? remoteChoice = null)
    {
        var budgetSpan = Estimates.ParseBudget(budget);
        var session = Session.Load(file, hashContent);
        using var remote = RemoteOptions.Open(remoteChoice);
        var runtime = TorchRuntime.Start(device, threads);
        var graph = session.Plan(runtime);
        var statuses = Staleness.Explain(graph, Session.OpenCache(), remote);
        if (estimate || budgetSpan is not null)
            return PlanWithEstimates(statuses, Estimates.Compute(session, runtime, statuses, Console.Error), runtime.Machine(), json, budgetSpan);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(statuses.Select(s => new
            {
                id = s.Task.Id, kind = s.Task.Kind, key = s.Task.Key, state = s.State.ToString().ToLowerInvariant(), reasons = s.Reasons,
                remote = s.OnRemote,
            }), Json.Options));
            return ExitCodes.Success;
        }
        var width = statuses.Max(s => s.Task.Id.ToString().Length);
        foreach (var s in statuses)
            Console.WriteLine(s.State == TaskState.Cached
                ? $"  cached{(s.OnRemote ? " (remote)" : "")}  {s.Task.Id}"
                : $"  stale   {s.Task.Id.ToString().PadRight(width)}  {string.Join("; ", s.Reasons)}");
        var stale = statuses.Count(s => s.State == TaskState.Stale);
        var onRemote = statuses.Count(s => s.OnRemote) is var n and > 0 ? $" ({n} on the remote cache {remote!.Name}, fetched when run)" : "";
        Console.WriteLine(stale == 0 ? $"Nothing to do: every task is cached{onRemote}." : $"{stale} of {statuses.Count} tasks would run{onRemote}.");
        return ExitCodes.Success;
    }

    private static int PlanWithEstimates(IReadOnlyList<PlanEntry> statuses, IReadOnlyList<Runner.Core.Estimation.TaskEstimate> estimates,
        Runner.Core.Machines.Machine machine, bool json, TimeSpan? budget)
    {
        var total = Estimates.Total(estimates);
        var peak = Estimates.Peak(estimates);
        var over = budget is { } b && total > b.TotalSeconds;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                tasks = statuses.Zip(estimates, (s, e) => new
                {
                    id = s.Task.Id, kind = s.Task.Kind, key = s.Task.Key, state = s.State.ToString().ToLowerInvariant(), reasons = s.Reasons,
                    estimate_seconds = e.Seconds, peak_memory_mb = e.PeakMemoryMb, machine = e.Machine,
                }),
                machine,
                total_seconds = total,
                peak_memory_mb = peak,
                budget_seconds = budget?.TotalSeconds,
                over_budget = budget is null ? (bool?)null : over,
            }, Json.Options));
            if (over) Estimates.WarnIfOverBudget(estimates, budget, Console.Error);
            return ExitCodes.Success;
        }
        var width = statuses.Max(s => s.Task.Id.ToString().Length);
        foreach (var (s, e) in statuses.Zip(estimates))
        {
            var time = e.Seconds is { } seconds ? Runner.Core.Estimation.Budget.Format(seconds) : "–";
            var memory = e.PeakMemoryMb is { } mb ? $"{mb:0} MB" : "";
            Console.WriteLine($"  {(s.State == TaskState.Cached ? "cached" : "stale ")}  {s.Task.Id.ToString().PadRight(width)}  {time,10}  {memory,8}");
        }
        Console.WriteLine($"Estimated total: {Runner.Core.Estimation.Budget.Format(total)}{(peak is { } p ? $", peak memory {p:0} MB" : "")} " +
            "(– : no model for that task kind; training assumes every epoch runs).");
        if (estimates.Any(e => e.Machine is not null))
            Console.WriteLine($"Probes ran on this machine, {machine.Describe()} (id {machine.Id}); peak memory is each probe's own process's.");
        Estimates.WarnIfOverBudget(estimates, budget, Console.Out);
        return ExitCodes.Success;
    }
}
