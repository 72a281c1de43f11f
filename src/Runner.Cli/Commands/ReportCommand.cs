using System.CommandLine;
using Runner.Cli.Progress;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Torch;

namespace Runner.Cli.Commands;

/// <summary><c>runner report FILE</c>: re-render the report from cached results only; never trains or times.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var command = new Command("report", "Re-render the report from the cache without running anything") { file, RunCommand.Device,
            RunCommand.Threads, RemoteOptions.Remote, RemoteOptions.NoRemote };
        command.SetAction(p => CommandLine.Guard(() => Report(p.GetValue(file)!, p.GetValue(RunCommand.Device)!, p.GetValue(RunCommand.Threads),
            RemoteOptions.From(p))));
        return command;
    }

    public static int Report(string file, string device, int threads, RemoteOptions.Choice? remoteChoice = null)
    {
        var session = Session.Load(file);
        using var remote = RemoteOptions.Open(remoteChoice);
        var runtime = TorchRuntime.Start(device, threads);
        var graph = session.Plan(runtime);
        var cache = Session.OpenCache();
        var missing = Staleness.Explain(graph, cache, remote).Where(s => s.State == TaskState.Stale && !s.Task.Descriptor.Gathers).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"runner report: {missing.Count} results are not in the cache ({string.Join(", ", missing.Select(m => m.Task.Id))}); run 'runner run {file}' first.");
            return ExitCodes.TasksFailed;
        }
        var bindings = TaskKindRegistry.Bindings(runtime, session);
        var options = new EngineOptions { Environment = TaskEnvironment.Of(session.Spec), Remote = remote };
        var progress = new PlainProgress(Console.Out, graph.Tasks.Count, TimeSpan.FromSeconds(10));
        var result = new Engine(cache, bindings, progress, Logging.Create(), options).Run(graph, Interruption.Token);
        RunCommand.PrintOutputs(Console.Out, result, bindings, options.Environment);
        return result.Succeeded ? ExitCodes.Success : result.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.TasksFailed;
    }
}
