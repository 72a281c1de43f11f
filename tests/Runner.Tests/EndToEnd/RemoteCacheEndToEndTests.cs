using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Tests.Fixtures;
using static Runner.Tests.EndToEnd.ShardedHandOffEndToEndTests;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// Several runner homes sharing one remote cache (a real S3-compatible server on loopback), through the real
/// executable: a home that ran the experiment, then homes that fetch what it uploaded, refuse what was damaged, and
/// carry on alone when the server is gone; pushes killed mid-way or racing each other.
/// </summary>
public sealed class RemoteCacheEndToEndTests(RemoteCacheEndToEndTests.HomeA a) : IClassFixture<RemoteCacheEndToEndTests.HomeA>, IDisposable
{
    /// <summary>One checkout whose run uploaded every task to its own server as it finished, shared by the tests (read only).</summary>
    public sealed class HomeA : IDisposable
    {
        public HomeA()
        {
            Run = RunnerProcess.Run(Experiment.Root, Server.Environment(), "run", "tiny.yaml", "--json", "--threads", "1");
            Keys = JsonNode.Parse(Run.Output)!.AsArray().ToDictionary(t => t!["id"]!.GetValue<string>(), t => t!["key"]!.GetValue<string>());
        }

        public S3Server Server { get; } = new();
        public TinyExperiment Experiment { get; } = new();
        public RunnerProcess.Result Run { get; }
        /// <summary>Task id → key.</summary>
        public Dictionary<string, string> Keys { get; }

        public void Dispose()
        {
            Server.Dispose();
            Experiment.Dispose();
        }
    }

    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Another machine's checkout of the experiment, with an empty runner home.</summary>
    private string Checkout(string name)
    {
        var folder = $"{a.Experiment.Root}-{name}-{Guid.NewGuid().ToString("N")[..4]}";
        _folders.Add(folder);
        TinyExperiment.CopyDirectory(Path.Combine(a.Experiment.Root, "data"), Path.Combine(folder, "data"));
        File.Copy(a.Experiment.Yaml, Path.Combine(folder, "tiny.yaml"));
        return folder;
    }

    private static string Metrics(string folder) =>
        JsonSerializer.Serialize(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reports", "tiny", "results.json")))!["backbones"]!.AsArray()
            .Select(b => new { name = b!["name"]!.GetValue<string>(), metrics = b["metrics"], timing = b["timing"] }));

    private static string[] Lines(RunnerProcess.Result r, string containing) =>
        [.. (r.Output + "\n" + r.Error).Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal))];

    [Fact]
    public void A_second_home_runs_nothing_the_first_ran_a_damaged_entry_is_recomputed_and_a_stopped_server_costs_one_warning()
    {
        var environment = a.Server.Environment();
        var (b, c, d) = (Checkout("b"), Checkout("c"), Checkout("d"));

        var plan = RunnerProcess.Run(b, environment, "plan", "tiny.yaml", "--threads", "1");
        var second = RunnerProcess.Run(b, environment, "run", "tiny.yaml", "--json", "--threads", "1");
        var listing = RunnerProcess.Run(b, environment, "cache", "ls", "--remote");
        var train = a.Keys["train:mobilenet_v2"];
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(a.Experiment.Root, ".runner", "cache", train[..2], train, "manifest.json")))!;
        foreach (var file in manifest["files"]!.AsArray())
        {
            var bytes = File.ReadAllBytes(Path.Combine(a.Experiment.Root, ".runner", "cache", train[..2], train, file!["name"]!.GetValue<string>()));
            bytes[bytes.Length / 2] ^= 0x55;
            a.Server.Put($"runner/cas/{file["sha256"]!.GetValue<string>()}", bytes);
        }
        var damaged = RunnerProcess.Run(c, environment, "run", "tiny.yaml", "--json", "--threads", "1");
        var repaired = RunnerProcess.Run(Checkout("e"), environment, "plan", "tiny.yaml", "--threads", "1");
        a.Server.Stop();
        var offline = RunnerProcess.Run(d, environment, "run", "tiny.yaml", "--json", "--threads", "1");

        Assert.All(Outcomes(a.Run).Values, o => Assert.Equal("ran", o));
        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        Assert.Equal(a.Keys.Keys.Order(), plan.Output.Split('\n').Where(l => l.StartsWith("  cached (remote)  ", StringComparison.Ordinal))
            .Select(l => l["  cached (remote)  ".Length..].Trim()).Order());
        Assert.Contains("Nothing to do: every task is cached (5 on the remote cache s3://runner-cache/runner, fetched when run).", plan.Output);
        Assert.All(Outcomes(second).Values, o => Assert.Equal("cached", o));
        Assert.Contains("All 5 tasks were cached (5 from the remote cache); nothing re-executed", second.Error);
        Assert.Contains("Remote cache s3://runner-cache/runner: 5 fetched (", second.Error);
        Assert.Equal(Metrics(a.Experiment.Root), Metrics(b));
        Assert.True(listing.ExitCode == 0, listing.Output + listing.Error);
        Assert.Contains("5 entries", listing.Output);
        Assert.Equal(5, Lines(listing, "  yes").Length);

        var recomputed = Outcomes(damaged);
        Assert.Equal("ran", recomputed["train:mobilenet_v2"]);
        Assert.All(recomputed.Where(t => t.Key != "train:mobilenet_v2").Select(t => t.Value), o => Assert.Equal("cached", o));
        Assert.Contains("NOTE train:mobilenet_v2: the remote cache's entry was refused (", damaged.Error);
        Assert.Contains("SHA-256 differs from the manifest", damaged.Error);
        Assert.Contains("cached (remote)  train:mobilenet_v2", repaired.Output); // the recomputed entry replaced the damaged one

        Assert.True(offline.ExitCode == 0, offline.Output + offline.Error);
        Assert.All(Outcomes(offline).Values, o => Assert.Equal("ran", o));
        var warning = Assert.Single(Lines(offline, "WARNING"));
        Assert.Contains("WARNING remote cache s3://runner-cache/runner is unavailable (", warning);
        Assert.True(File.Exists(Path.Combine(d, "reports", "tiny", "README.md")));
        foreach (var r in new[] { a.Run, plan, second, listing, damaged, offline })
            Assert.DoesNotContain(S3Server.SecretKey, r.Output + r.Error);
    }

    [Fact]
    public async Task A_push_killed_mid_way_leaves_no_entry_a_reader_takes_and_concurrent_pushes_of_the_same_keys_both_succeed()
    {
        using var server = new S3Server();
        var environment = server.Environment("pushed");
        var home = Path.Combine(a.Experiment.Root, ".runner");

        var killAt = new Dictionary<string, string>(environment) { ["RUNNER_HOME"] = home, ["RUNNER_TEST_KILL_AT"] = "remote-after-file:3" };
        var killed = RunnerProcess.Run(a.Experiment.Root, killAt, "cache", "push");
        var uploaded = server.Keys("pushed/entries/").Select(k => k.Split('/')[2]).ToHashSet();
        var blobs = server.Keys("pushed/cas/").Count;
        var reader = Checkout("f");
        var plan = RunnerProcess.Run(reader, environment, "plan", "tiny.yaml", "--threads", "1");
        var taken = RunnerProcess.Run(reader, environment, "cache", "pull", "tiny.yaml", "--threads", "1");
        var again = RunnerProcess.Run(a.Experiment.Root, new Dictionary<string, string>(environment) { ["RUNNER_HOME"] = home }, "cache", "push");
        var copy = Checkout("g");
        TinyExperiment.CopyDirectory(home, Path.Combine(copy, ".runner"));
        var racing = new[] { (a.Experiment.Root, home), (copy, Path.Combine(copy, ".runner")) }
            .Select(r => Task.Run(() =>
                RunnerProcess.Run(r.Item1, new Dictionary<string, string>(server.Environment("raced")) { ["RUNNER_HOME"] = r.Item2 },
                    "cache", "push")))
            .ToArray();
        await Task.WhenAll(racing);
        var fresh = Checkout("h");
        var pull = RunnerProcess.Run(fresh, server.Environment("raced"), "cache", "pull", "tiny.yaml", "--threads", "1");
        var collected = RunnerProcess.Run(fresh, server.Environment("raced"), "cache", "gc", "tiny.yaml"); // keeps what was pulled
        var after = RunnerProcess.Run(fresh, server.Environment("raced"), "run", "tiny.yaml", "--json", "--threads", "1", "--no-remote");
        var malformed = RunnerProcess.Run(fresh, server.Environment(), "cache", "push", "--remote", "https://runner-cache/x");

        Assert.Equal(137, killed.ExitCode);
        Assert.True(uploaded.Count < a.Keys.Count, killed.Output);
        Assert.True(blobs >= 3, $"{blobs} files uploaded before the kill");
        var stale = plan.Output.Split('\n').Where(l => l.StartsWith("  stale", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(a.Keys.Where(k => !uploaded.Contains(k.Value)).Select(k => k.Key).Order(), stale.Order());
        Assert.True(taken.ExitCode == 0, taken.Output + taken.Error); // every entry that shows is whole: nothing refused
        // "0 fetched," when the kill came before any entry was whole
        Assert.Matches($@"Remote cache s3://runner-cache/pushed: {uploaded.Count} fetched[ ,]", taken.Output);
        Assert.DoesNotContain("REFUSED", taken.Output);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal(uploaded.Count, Lines(again, "already on the remote").Length);

        Assert.All(racing, r => Assert.True(r.Result.ExitCode == 0, r.Result.Output + r.Result.Error));
        Assert.True(pull.ExitCode == 0, pull.Output + pull.Error);
        Assert.Contains("Remote cache s3://runner-cache/raced: 5 fetched (", pull.Output);
        Assert.Contains("0 were here already, 0 are not on the remote.", pull.Output);
        Assert.True(collected.ExitCode == 0, collected.Output + collected.Error);
        Assert.All(Outcomes(after).Values, o => Assert.Equal("cached", o));
        Assert.Equal(Metrics(a.Experiment.Root), Metrics(fresh));
        Assert.Equal(2, malformed.ExitCode);
        Assert.Equal("runner: --remote 'https://runner-cache/x': expected s3://BUCKET or s3://BUCKET/PREFIX", malformed.Error.Split(" (e.g.")[0]);
    }
}
