using System.CommandLine;
using Runner.Cli.Commands;

namespace Runner.Cli;

/// <summary>The command-line surface (DESIGN.md). Each command's work lives in Commands/.</summary>
internal static class CommandLine
{
    /// <summary><c>--home DIR</c> on any command: the runner home for this invocation (what <c>RUNNER_HOME</c> sets).</summary>
    public static readonly Option<string> Home = new("--home")
    {
        Description = $"Runner home: task cache, decoded images, weights, digest memo, data fallback (default ${Runner.Core.Util.RunnerHome.Variable}, else ~/.cache/runner)",
        Recursive = true,
    };

    /// <summary><c>--device auto|cpu|cuda</c> (default auto: CUDA when available), the same on every command that has it.</summary>
    public static Option<string> DeviceOption(string description = "auto, cpu or cuda")
    {
        var device = new Option<string>("--device") { Description = description, DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        return device;
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("runner: fair, cached, reproducible comparisons of pretrained image backbones.") { Home };
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(GraphCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SchemaCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(WeightsCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(PublishCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        return root;
    }

    /// <summary>
    /// Runs the parsed command after checking what every command relies on: a working directory that still exists, and a
    /// usable runner home (<c>--home</c> becomes the process's <c>RUNNER_HOME</c>, so every part of runner and any child
    /// process sees one home). A problem is one message and exit code 2.
    /// </summary>
    public static int Start(ParseResult parsed)
    {
        try
        {
            _ = Directory.GetCurrentDirectory();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse("the working directory no longer exists (deleted or unmounted); cd into an existing folder and run again");
        }
        if (parsed.GetValue(Home) is { Length: > 0 } home)
            Environment.SetEnvironmentVariable(Runner.Core.Util.RunnerHome.Variable, Path.GetFullPath(home));
        return Runner.Core.Util.RunnerHome.Problem() is { } problem ? Refuse(problem) : parsed.Invoke();
    }

    private static int Refuse(string problem)
    {
        Console.Error.WriteLine($"runner: {problem}");
        return ExitCodes.InvalidInput;
    }

    /// <summary>Stops a command that writes in the runner home when it cannot (exit 2, naming the home), before anything else fails on it.</summary>
    public static void RequireWritableHome()
    {
        if (Runner.Core.Util.RunnerHome.WriteProblem() is { } problem) throw new UsageException(problem);
    }

    public static int ReportParseErrors(ParseResult parsed)
    {
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"runner: {error.Message}");
        Console.Error.WriteLine("Try 'runner --help'.");
        return ExitCodes.InvalidInput;
    }

    public static Argument<string> FileArgument() => new("FILE") { Description = "Experiment YAML file" };

    /// <summary>Runs a command body, turning bad input into one clear message and exit code 2.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Runner.Core.Config.ConfigException e)
        {
            foreach (var error in e.Errors) Console.Error.WriteLine(error);
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is UsageException or Runner.Core.Execution.InvalidInputException)
        {
            Console.Error.WriteLine($"runner: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (Interruption.Requested)
        {
            Console.Error.WriteLine($"runner: interrupted by {Interruption.SignalName}; nothing half-done was kept");
            return Interruption.ExitCode;
        }
    }
}
