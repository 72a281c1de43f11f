using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;
using static Runner.Tests.Core.Execution.Graphs;
using Runner.Cli;

namespace Runner.Tests.Core.Execution;

/// <summary>--only, --force and --shard on the planner's graph.</summary>
public sealed class TaskSelectionTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly TaskGraph _graph;

    public TaskSelectionTests() => _graph = Yaml.Plan(Yaml.Parse(Yaml.Basic(_temp.Sub("dataset"))));

    public void Dispose() => _temp.Dispose();

    private static List<string> Ids(TaskGraph g) => g.Tasks.Select(t => t.Id.ToString()).ToList();

    [Fact]
    public void Only_keeps_matching_tasks_and_what_they_need_in_graph_order()
    {
        Assert.Equal(["data", "train:resnet18", "eval:resnet18"], Ids(TaskSelection.Only(_graph, ["eval:res*"])));
        Assert.Equal(["data", "train:resnet18", "train:mobilenet_v2"], Ids(TaskSelection.Only(_graph, ["train:*"])));
    }

    [Fact]
    public void Force_widens_to_every_dependent()
    {
        Assert.Equal(["eval:resnet18", "report", "time:resnet18", "train:resnet18"],
            TaskSelection.Forced(_graph, ["train:resnet18"]).Order(StringComparer.Ordinal));
        Assert.Equal(Ids(_graph).Order(StringComparer.Ordinal), TaskSelection.Forced(_graph, ["*"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_glob_that_matches_nothing_is_an_error_listing_the_tasks()
    {
        var e = Assert.Throws<TaskSelectionException>(() => TaskSelection.Only(_graph, ["train:efficientnet_*"]));
        Assert.StartsWith("--only 'train:efficientnet_*' matches no task; the tasks are: data, train:resnet18, eval:resnet18", e.Message);
    }

    [Fact]
    public void Shards_split_the_backbone_branches_each_with_the_data_and_without_the_report()
    {
        var one = Ids(TaskSelection.Shard(_graph, 1, 2));
        var two = Ids(TaskSelection.Shard(_graph, 2, 2));

        Assert.Equal(["data", "train:resnet18", "eval:resnet18", "time:resnet18"], one);
        Assert.Equal(["data", "train:mobilenet_v2", "eval:mobilenet_v2", "time:mobilenet_v2"], two);
        Assert.Equal(Ids(_graph), Ids(TaskSelection.Shard(_graph, 1, 1)));
        Assert.Empty(Ids(TaskSelection.Shard(_graph, 3, 3))); // more shards than branches: an idle shard
        Assert.Throws<TaskSelectionException>(() => TaskSelection.Shard(_graph, 3, 2));
    }

    [Fact]
    public void An_ensemble_keeps_the_branches_it_joins_in_one_shard()
    {
        var graph = Of(T("data"), T("train:a", "data"), T("eval:a", "train:a"), T("train:b", "data"), T("eval:b", "train:b"),
            T("train:c", "data"), T("eval:c", "train:c"), T("ensemble:ab", "eval:a", "eval:b"), T("report", "ensemble:ab", "eval:c"));

        Assert.Equal(["data", "train:a", "eval:a", "train:b", "eval:b", "ensemble:ab"], Ids(TaskSelection.Shard(graph, 1, 2)));
        Assert.Equal(["data", "train:c", "eval:c"], Ids(TaskSelection.Shard(graph, 2, 2)));
    }
}
