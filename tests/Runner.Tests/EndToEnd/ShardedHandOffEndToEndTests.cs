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

        JsonNode Results(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reports", "tiny", "results.json")))!;
        string Metrics(string folder) => JsonSerializer.Serialize(Results(folder)["backbones"]!.AsArray().Select(b => new { name = b!["name"]!.GetValue<string>(), metrics = b["metrics"] }));
        Assert.Equal(Metrics(single), Metrics(gather));
    }
}
