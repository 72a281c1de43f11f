using System.CommandLine;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Cli.Commands;

/// <summary><c>runner validate FILE</c>: schema and semantic checks only, errors as FILE:LINE:COL: message.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var command = new Command("validate", "Check an experiment file without running anything") { file, RunCommand.HashContent };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var session = Session.Load(p.GetValue(file)!, p.GetValue(RunCommand.HashContent));
            Console.WriteLine($"{p.GetValue(file)}: valid — experiment '{session.Spec.Name}', {session.Spec.Backbones.Count} backbones, " +
                $"{session.Dataset.Files} dataset files.");
            var store = WeightsStore.Default();
            foreach (var b in ExperimentWeights.NotHere(session.Spec, ArchRegistry.Default, store))
                Console.WriteLine($"note: {session.Spec.SourceFile}:{b.Location.Line}:{b.Location.Column}: backbone '{b.Name}': " +
                    $"{store.AbsentMessage(ArchRegistry.Default[b.Arch], b.Weights)} before its training runs (cached results need none)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
