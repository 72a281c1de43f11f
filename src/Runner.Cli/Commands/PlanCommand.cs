using System.CommandLine;
using System.Text.Json;
using Runner.Core.Planning;
using Runner.Core.Util;
using Runner.Torch;

namespace Runner.Cli.Commands;

/// <summary><c>runner plan FILE</c>: what would run and why; nothing executes.</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON" };
        var command = new Command("plan", "Show which tasks are stale and why; nothing executes") { file, RunCommand.Device, RunCommand.Threads, json, RunCommand.HashContent };
        command.SetAction(p => CommandLine.Guard(() => Plan(p.GetValue(file)!, p.GetValue(RunCommand.Device)!, p.GetValue(RunCommand.Threads), p.GetValue(json), p.GetValue(RunCommand.HashContent))));
        return command;
    }

    public static int Plan(string file, string device, int threads, bool json, bool hashContent = false)
    {
        var session = Session.Load(file, hashContent);
        var graph = session.Plan(TorchRuntime.Start(device, threads));
        var statuses = Staleness.Explain(graph, Session.OpenCache());
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(statuses.Select(s => new
            {
                id = s.Task.Id, kind = s.Task.Kind, key = s.Task.Key, state = s.State.ToString().ToLowerInvariant(), reasons = s.Reasons,
            }), Json.Options));
            return ExitCodes.Success;
        }
        var width = statuses.Max(s => s.Task.Id.ToString().Length);
        foreach (var s in statuses)
            Console.WriteLine(s.State == TaskState.Cached
                ? $"  cached  {s.Task.Id}"
                : $"  stale   {s.Task.Id.ToString().PadRight(width)}  {string.Join("; ", s.Reasons)}");
        var stale = statuses.Count(s => s.State == TaskState.Stale);
        Console.WriteLine(stale == 0 ? "Nothing to do: every task is cached." : $"{stale} of {statuses.Count} tasks would run.");
        return ExitCodes.Success;
    }
}
