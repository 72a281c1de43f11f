using System.CommandLine;

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
            return ExitCodes.Success;
        }));
        return command;
    }
}
