using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;

namespace Runner.Tests.Core;

/// <summary>A catalog of model architectures for config tests (no TorchSharp).</summary>
internal sealed class FakeArchCatalog(IReadOnlyDictionary<string, int>? sizes = null) : IArchCatalog
{
    private readonly IReadOnlyDictionary<string, int> _sizes =
        sizes ?? new Dictionary<string, int> { ["resnet18"] = 224, ["mobilenet_v2"] = 224 };

    public IReadOnlyCollection<string> Names => _sizes.Keys.ToList();
    public int DefaultImageSize(string arch) => _sizes[arch];
}

/// <summary>A fresh temp directory, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "runner-core-tests-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public string Sub(params string[] parts)
    {
        var dir = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string File(string relative, string text = "x")
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

internal static class Yaml
{
    /// <summary>Joins lines with \n so line numbers in tests are exactly the list positions (1-based).</summary>
    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static ExperimentSpec Parse(string yaml, IArchCatalog? archs = null) =>
        new ExperimentLoader(archs ?? new FakeArchCatalog()).Parse(yaml, "exp.yaml");

    public static ConfigException Fails(string yaml, IArchCatalog? archs = null) =>
        Assert.Throws<ConfigException>(() => Parse(yaml, archs));

    /// <summary>A valid two-backbone experiment on a folder dataset.</summary>
    public static string Basic(string datasetPath, int mobilenetEpochs = 1) => Lines(
        "name: exp",
        "dataset:",
        "  kind: folder",
        $"  path: {datasetPath}",
        "augmentations:",
        "  light:",
        "    - hflip: { p: 0.5 }",
        "defaults:",
        "  epochs: 1",
        "  augment: light",
        "backbones:",
        "  - resnet18",
        $"  - {{ name: mobilenet_v2, epochs: {mobilenetEpochs} }}");

    public static PlanInputs Inputs(string device = "cpu") =>
        new("dataset-digest", 42, new JsonObject { ["device"] = device, ["threads"] = 4 }, "template-digest");
}

/// <summary>An executor for one task kind that writes a small file; can be told to fail for some task ids.</summary>
internal class FakeExecutor(string kind) : ITaskExecutor
{
    public string Kind { get; } = kind;
    public List<string> Calls { get; } = [];
    public HashSet<string> FailFor { get; } = [];
    public List<(string Task, IReadOnlyList<string> Inputs)> SeenInputs { get; } = [];

    public void Execute(TaskContext context)
    {
        lock (Calls) Calls.Add(context.Task.Id);
        SeenInputs.Add((context.Task.Id, context.Inputs.Keys.Order(StringComparer.Ordinal).ToList()));
        foreach (var (id, entry) in context.Inputs)
            Assert.True(File.Exists(entry.PathOf("out.txt")), $"{context.Task.Id}: input {id} has no artifact");
        File.WriteAllText(context.Output("out.txt"), context.Task.Id);
        if (FailFor.Contains(context.Task.Id)) throw new InvalidOperationException($"boom in {context.Task.Id}");
    }
}

internal sealed class MaterializingFakeExecutor(string kind) : FakeExecutor(kind), IMaterializes
{
    public List<string> Materialized { get; } = [];
    public void Materialize(CacheEntry entry, PlannedTask task) => Materialized.Add(entry.Manifest.TaskId);
}

internal sealed class SilentProgress : IRunProgress, ITaskProgress
{
    public List<TaskOutcome> Ended { get; } = [];
    public ITaskProgress Begin(PlannedTask task) => this;
    public void End(TaskOutcome outcome) => Ended.Add(outcome);
    public void Update(double done, double total, string detail) { }
}

/// <summary>One fake executor per task kind, plus an engine over a cache.</summary>
internal sealed class FakeRig
{
    public FakeRig(CacheStore cache)
    {
        Cache = cache;
        Executors = new Dictionary<string, FakeExecutor>
        {
            [DataKind.Name] = new(DataKind.Name),
            [TrainKind.Name] = new(TrainKind.Name),
            [EvalKind.Name] = new(EvalKind.Name),
            [TimeKind.Name] = new(TimeKind.Name),
            [FeaturesKind.Name] = new(FeaturesKind.Name),
            [EnsembleKind.Name] = new(EnsembleKind.Name),
            [ReportKind.Name] = new MaterializingFakeExecutor(ReportKind.Name),
        };
    }

    public CacheStore Cache { get; }
    public Dictionary<string, FakeExecutor> Executors { get; }
    public IEnumerable<string> AllCalls => Executors.Values.SelectMany(e => e.Calls);

    public RunResult Run(TaskGraph graph) =>
        new Engine(Cache, Executors.Values, new SilentProgress(), Serilog.Core.Logger.None).Run(graph);
}
