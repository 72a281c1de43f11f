using System.CommandLine;
using Runner.Core.Config;
using Runner.Torch.Models;

namespace Runner.Cli.Commands;

/// <summary><c>runner schema</c>: the experiment files' JSON Schema (committed as docs/experiment.schema.json).</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema",
            $"Print the JSON Schema of experiment files (committed as {ExperimentSchema.CommittedPath}; editors use it)");
        command.SetAction(_ =>
        {
            Console.Out.Write(ExperimentSchema.Render(ArchRegistry.Default.Names));
            return ExitCodes.Success;
        });
        return command;
    }
}
