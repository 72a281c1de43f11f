using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Planning;

/// <summary>A kind's parameters record is its key: nothing an executor reads may be left out of it unannounced.</summary>
public sealed class TaskParamsTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void Every_parameter_is_in_the_key_except_the_declared_locations()
    {
        var yaml = Yaml.Basic(_temp.Sub("dataset")) + """
            ensembles:
              both: { members: [resnet18, mobilenet_v2], method: stacking, inputs: features }
            """;
        var graph = Yaml.Plan(Yaml.Parse(yaml));

        var kinds = graph.Tasks.Concat(graph.OnDemand).GroupBy(t => t.Kind).ToList();
        Assert.Equal(["data", "train", "eval", "time", "features", "ensemble", "report", "export"], kinds.Select(k => k.Key));
        foreach (var task in kinds.Select(k => k.First()))
        {
            var properties = task.Parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance);
            var ignored = properties.Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
                .Select(p => p.Name).ToList();
            Assert.All(ignored, name => Assert.Contains(name, new[] { "Dataset", "Output" }));
            foreach (var p in properties.Where(p => !ignored.Contains(p.Name)))
            {
                // A setting added later (drop_path) is left out while null, so that older keys stay valid; set, it is in the key.
                if (p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.WhenWritingNull } &&
                    p.GetValue(task.Parameters) is null) continue;
                Assert.True(task.Params.ContainsKey(JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)), $"{task.Id}: {p.Name} is not in the key");
            }
        }
        Assert.DoesNotContain("path", graph["data"].Params["dataset"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Task_ids_parse_and_print_as_the_command_line_writes_them()
    {
        Assert.Equal(new TaskId("train", "resnet18"), TaskId.Parse("train:resnet18"));
        Assert.Equal("report", TaskId.Parse("report").ToString());
        Assert.Null(TaskId.Parse("data").Subject);
        Assert.Equal("\"eval:a\"", JsonSerializer.Serialize(new TaskId("eval", "a")));
    }

    public void Dispose() => _temp.Dispose();
}
