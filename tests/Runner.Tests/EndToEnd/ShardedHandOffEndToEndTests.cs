using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// The CI matrix on real machines: two shards run in two checkouts with their own runner homes, hand their entries on
/// with <c>cache export</c>, and a third checkout imports both and writes the report without executing any of their tasks.
/// </summary>
public sealed class ShardedHandOffEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        _experiment.Dispose();
        foreach (var folder in _folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>A copy of the experiment's folder elsewhere (new paths, inodes and mtimes), as another runner's checkout.</summary>
    private string Checkout(string name)
    {
        var folder = _experiment.Root + "-" + name;
        _folders.Add(folder);
        TinyExperiment.CopyDirectory(_experiment.Root, folder);
        return folder;
    }

    /// <summary>Task id → outcome from <c>run --json</c>.</summary>
    internal static Dictionary<string, string> Outcomes(RunnerProcess.Result run)
    {
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var start = run.Output.IndexOf("[\n  {", StringComparison.Ordinal); // after the progress lines
        var json = run.Output[start..(run.Output.IndexOf("\n]", start, StringComparison.Ordinal) + 2)];
        return JsonNode.Parse(json)!.AsArray().ToDictionary(t => t!["id"]!.GetValue<string>(), t => t!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public void Two_shards_handed_on_through_archives_give_the_one_machine_report_and_run_nothing_twice()
    {
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace(
            "  - { name: mobilenet_v2, epochs: 1 }", "  - { name: mobilenet_v2, epochs: 1 }\n  - { name: second, arch: mobilenet_v2, epochs: 1, seed: 7 }"));
        var first = Checkout("shard1");
        var second = Checkout("shard2");
        var gather = Checkout("gather");
        var single = Checkout("single");

        var shards = new[] { (first, "1/2"), (second, "2/2") }
            .Select(s => Outcomes(RunnerProcess.Run(s.Item1, "run", "tiny.yaml", "--shard", s.Item2, "--json", "--threads", "1"))).ToList();
        foreach (var (folder, name) in new[] { (first, "one"), (second, "two") })
        {
            var export = RunnerProcess.Run(folder, "cache", "export", "tiny.yaml", "--out", Path.Combine(gather, name + ".tar.gz"));
            Assert.True(export.ExitCode == 0, export.Output + export.Error);
        }
        var import = RunnerProcess.Run(gather, "cache", "import", "one.tar.gz", "two.tar.gz");
        var gathered = Outcomes(RunnerProcess.Run(gather, "run", "tiny.yaml", "--json", "--threads", "1"));
        var alone = Outcomes(RunnerProcess.Run(single, "run", "tiny.yaml", "--json", "--threads", "1"));

        var executed = shards.SelectMany(s => s.Where(t => t.Value == "ran" && t.Key != "data").Select(t => t.Key)).ToList();
        Assert.Equal(6, executed.Count); // train, eval and time of both backbones
        Assert.Equal(executed.Count, executed.Distinct().Count());
        Assert.True(import.ExitCode == 0, import.Output + import.Error);
        Assert.Contains("Imported 4 entries from one.tar.gz", import.Output);
        Assert.Contains("Imported 3 entries from two.tar.gz; 1 were already in", import.Output); // the data entry, same key in both
        Assert.Equal(["report"], gathered.Where(t => t.Value == "ran").Select(t => t.Key));
        Assert.Equal(alone.Keys.Order(), gathered.Keys.Order());

        Assert.Equal(Metrics(single), Metrics(gather));
    }

    /// <summary>
    /// A pretrained backbone whose file has no head (ML.NET's bundled ResNet18 ONNX) keys its tasks by the file's content:
    /// run in one checkout and home, exported and imported into another checkout with an empty home, nothing runs there,
    /// no weights are imported, and the report has the same metrics.
    /// </summary>
    [Fact]
    public void A_headless_pretrained_backbone_is_cached_in_another_home_that_has_no_weights()
    {
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace(
            "  - { name: mobilenet_v2, epochs: 1 }",
            "  - { name: mobilenet_v2, epochs: 1 }\n  - { name: mlnet, arch: mlnet_resnet18, weights: imagenet, epochs: 1 }"));
        var first = Checkout("a");
        var second = Checkout("b");

        var ran = Outcomes(RunnerProcess.Run(first, "run", "tiny.yaml", "--json", "--threads", "1"));
        var export = RunnerProcess.Run(first, "cache", "export", "tiny.yaml", "--out", Path.Combine(second, "a.tar.gz"));
        var import = RunnerProcess.Run(second, "cache", "import", "a.tar.gz");
        var plan = RunnerProcess.Run(second, "plan", "tiny.yaml", "--threads", "1");
        var reused = Outcomes(RunnerProcess.Run(second, "run", "tiny.yaml", "--json", "--threads", "1"));

        Assert.Equal("ran", ran["train:mlnet"]);
        Assert.True(export.ExitCode == 0 && import.ExitCode == 0, export.Error + import.Error);
        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        Assert.Contains("Nothing to do: every task is cached.", plan.Output);
        Assert.All(reused, t => Assert.Equal("cached", t.Value));
        Assert.False(Directory.Exists(Path.Combine(second, ".runner", "weights")), "cached work needs no weights file");
        Assert.Equal(Metrics(first), Metrics(second));
    }

    /// <summary>
    /// Nothing that differs between machines enters a key: another checkout path, another empty runner home and another
    /// culture (decimal commas, Turkish casing) plan the same keys for every task, pretrained weights and ensembles included.
    /// </summary>
    [Fact]
    public void Another_checkout_home_and_culture_plan_the_same_keys()
    {
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace(
            "  - { name: mobilenet_v2, epochs: 1 }",
            "  - { name: mobilenet_v2, epochs: 1, optimizer: { name: sgd, lr: 0.015, momentum: 0.9 } }\n" +
            "  - { name: mlnet, arch: mlnet_resnet18, weights: imagenet, epochs: 1, label_smoothing: 0.1 }\n" +
            "ensembles:\n  stacked: { method: stacking, members: [mobilenet_v2, mlnet] }"));
        var keys = new[] { ("a", "de_DE.UTF-8"), ("b", "tr_TR.UTF-8") }.Select(c =>
        {
            var plan = RunnerProcess.Run(Checkout(c.Item1), new Dictionary<string, string> { ["LC_ALL"] = c.Item2, ["LANG"] = c.Item2 },
                "plan", "tiny.yaml", "--json", "--threads", "1");
            Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
            return JsonNode.Parse(plan.Output)!.AsArray().ToDictionary(t => t!["id"]!.GetValue<string>(), t => t!["key"]!.GetValue<string>());
        }).ToList();

        Assert.Equal(9, keys[0].Count); // data, 2 × (train, eval, time), stacked, report
        Assert.Equal(keys[0], keys[1]);
    }

    private static JsonNode Results(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reports", "tiny", "results.json")))!;

    private static string Metrics(string folder) =>
        JsonSerializer.Serialize(Results(folder)["backbones"]!.AsArray()
            .Select(b => new { name = b!["name"]!.GetValue<string>(), metrics = b["metrics"] }));
}
