using System.CommandLine;
using System.Text.Json.Nodes;
using Runner.Core.Planning;

namespace Runner.Cli.Commands;

/// <summary><c>runner graph FILE</c>: the task graph as Mermaid (renders on GitHub) or Graphviz dot.</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var file = CommandLine.FileArgument();
        var format = new Option<string>("--format") { Description = "mermaid or dot", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var command = new Command("graph", "Print the task graph") { file, format };
        command.SetAction(p => CommandLine.Guard(() =>
        {
            var session = Session.Load(p.GetValue(file)!);
            // The graph's shape does not depend on hardware, so no native stack is needed here.
            var graph = session.Plan(new JsonObject());
            Console.Write(p.GetValue(format) == "dot" ? Dot(graph) : Mermaid(graph));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static string Mermaid(TaskGraph graph)
    {
        var lines = new List<string> { "graph LR" };
        lines.AddRange(graph.Tasks.Select(t => $"  {NodeId(t.Id)}[\"{t.Id}\"]"));
        lines.AddRange(graph.Tasks.SelectMany(t => t.DependsOn.Select(d => $"  {NodeId(d)} --> {NodeId(t.Id)}")));
        return string.Join('\n', lines) + '\n';
    }

    public static string Dot(TaskGraph graph)
    {
        var lines = new List<string> { $"digraph \"{graph.Experiment}\" {{", "  rankdir=LR;" };
        lines.AddRange(graph.Tasks.SelectMany(t => t.DependsOn.Select(d => $"  \"{d}\" -> \"{t.Id}\";")));
        lines.Add("}");
        return string.Join('\n', lines) + '\n';
    }

    private static string NodeId(string id) => new(id.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
