using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Reporting;
using Runner.Core.Results;
using Runner.Tests.Fixtures;
using Runner.Cli;

namespace Runner.Tests.Core.Execution;

/// <summary>Invalid input in a task is recorded as such by the engine; skipped files reach results.json and the report.</summary>
public sealed class InvalidInputRunTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed class ThrowingData(Exception error) : ITaskExecutor<DataKind>
    {
        public void Execute(TaskContext context) => throw error;
    }

    private (RunResult Result, CacheStore Cache) Run(Exception dataError)
    {
        var cache = new CacheStore(Path.Combine(_temp.Path, "cache"));
        var rig = new FakeRig(cache);
        var spec = Yaml.Parse(Yaml.Basic(_temp.Sub("dataset")));
        var executors = rig.Executors.Values.Where(e => e.Kind != DataKind.Name).Select(e => e.Binding)
            .Append(TaskBinding.Of(new DataKind(), new ThrowingData(dataError)));
        var result = new Engine(cache, executors, new SilentProgress(), Serilog.Core.Logger.None).Run(Yaml.Plan(spec));
        Assert.Empty(rig.AllCalls); // nothing downstream ran
        return (result, cache);
    }

    [Fact]
    public void Invalid_input_fails_the_task_flags_the_outcome_and_skips_everything_downstream()
    {
        var (result, cache) = Run(new InvalidInputException("2 bad input files in dataset d:\n  d/a.jpg: truncated JPEG"));

        Assert.True(result.InvalidInput);
        var data = result.Tasks.Single(t => t.Task.Id == "data");
        Assert.Equal((Outcome.Failed, true), (data.Outcome, data.InvalidInput));
        Assert.Contains("d/a.jpg: truncated JPEG", data.Error);
        Assert.All(result.Tasks.Where(t => t.Task.Id != "data"), t => Assert.Equal((Outcome.Skipped, false), (t.Outcome, t.InvalidInput)));
        Assert.Empty(Directory.EnumerateFiles(cache.Root, CacheStore.ManifestFile, SearchOption.AllDirectories));
    }

    [Fact]
    public void Any_other_failure_is_not_invalid_input()
    {
        var (result, _) = Run(new IOException("disk full"));

        Assert.False(result.InvalidInput);
        Assert.Equal(Outcome.Failed, result.Tasks.Single(t => t.Task.Id == "data").Outcome);
    }

    [Fact]
    public void Listing_shows_the_first_20_then_how_many_more()
    {
        var e = InvalidInputException.Listing("25 bad input files",
            Enumerable.Range(1, 25).Select(i => $"f{i}: bad").ToList(), "Nothing was trained.");
        var lines = e.Message.Split(Environment.NewLine);

        Assert.Equal(["25 bad input files:", "  f1: bad"], lines[..2]);
        Assert.Equal(["  f20: bad", "  … and 5 more (total 25)", "Nothing was trained."], lines[20..]);
        Assert.Equal(2, InvalidInputException.Listing("x", ["a"]).Message.Split(Environment.NewLine).Length);
    }

    private static ExperimentResults Results(IReadOnlyList<FileProblem>? skipped) => new(
        "exp", "0.1.0", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new EnvironmentInfo("cpu", "CPU", 2, "0.107.0", "2.10.0"),
        new DatasetSummary("pets", ["cat", "dog"], new Dictionary<string, int> { ["train"] = 6, ["validation"] = 2, ["test"] = 2 }, skipped),
        [], []);

    private static string Readme(ExperimentResults results) =>
        ReportWriter.Render(ReportTemplates.Load(new ReportSpec("default", "out")), ReportModel.From(results))
            .Single(r => r.File == "README.md").Text;

    [Fact]
    public void Report_header_shows_skipped_images_only_when_there_are_some()
    {
        var none = Readme(Results([]));
        var two = Readme(Results([new FileProblem("d/a.jpg", "truncated JPEG"), new FileProblem("d/b.jpg", "empty file (0 bytes)")]));

        Assert.DoesNotContain("Skipped images", none);
        Assert.Equal(none, Readme(Results(null)));
        var lines = two.Split('\n');
        var dataset = Array.FindIndex(lines, l => l.StartsWith("| Dataset |", StringComparison.Ordinal));
        Assert.StartsWith("| Skipped images | 2 ", lines[dataset + 1]);
        Assert.Equal("", lines[dataset + 2]); // the table ends as before
        Assert.Equal(none.Split('\n').Length + 1, lines.Length);
    }

    [Fact]
    public void Results_json_lists_skipped_files_with_their_problem()
    {
        var path = Path.Combine(_temp.Path, "results.json");
        Runner.Core.Util.Json.Write(path, Results([new FileProblem("d/a.jpg", "truncated JPEG")]));

        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var skipped = doc.RootElement.GetProperty("dataset").GetProperty("skipped");
        Assert.Equal(("d/a.jpg", "truncated JPEG"), (skipped[0].GetProperty("file").GetString(), skipped[0].GetProperty("problem").GetString()));
    }
}
