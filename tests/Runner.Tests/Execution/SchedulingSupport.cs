using System.Diagnostics;
using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Tests.Core;

namespace Runner.Tests.Execution;

/// <summary>Hand-made task graphs ("kind:name" ids) and executors that record when each task ran.</summary>
internal static class Graphs
{
    /// <summary>Tasks in the given order; each (id, deps). The kind is the id's part before ':'.</summary>
    public static TaskGraph Of(params (string Id, string[] Deps)[] tasks) =>
        new("exp", tasks.Select(t => new PlannedTask(TaskId.Parse(t.Id), new JsonObject { ["id"] = t.Id }, t.Deps,
            CanonicalJson.Sha256(new JsonObject { ["id"] = t.Id, ["salt"] = Salt })) { Resource = ResourceOf(t.Id.Split(':')[0]) }).ToList());

    /// <summary>The built-in kinds' classes by name; other kinds take a device slot.</summary>
    private static ResourceClass ResourceOf(string kind) =>
        BuiltInKinds.All.FirstOrDefault(k => k.Name == kind)?.Resource ?? ResourceClass.Device;

    /// <summary>Keys differ between test classes' graphs only through their caches; one salt keeps them readable.</summary>
    private const string Salt = "scheduling-tests";

    public static (string, string[]) T(string id, params string[] deps) => (id, deps);
}

/// <summary>Runs every kind it is given; each execution sleeps, writes a file and records its interval.</summary>
internal sealed class RecordingExecutor(string kind, TimeSpan duration, Stopwatch clock, List<(string Id, double Start, double End)> log) : ITaskExecutor
{
    public string Kind { get; } = kind;
    public HashSet<string> FailFor { get; } = [];
    public Action<TaskContext>? Write { get; init; }

    public void Execute(TaskContext context)
    {
        var start = clock.Elapsed.TotalMilliseconds;
        Thread.Sleep(duration);
        (Write ?? (c => File.WriteAllText(c.Output("out.txt"), c.Task.Id)))(context);
        lock (log) log.Add((context.Task.Id, start, clock.Elapsed.TotalMilliseconds));
        if (FailFor.Contains(context.Task.Id)) throw new InvalidOperationException($"boom in {context.Task.Id}");
    }
}

/// <summary>An engine over a fresh cache with one <see cref="RecordingExecutor"/> per kind.</summary>
internal sealed class SchedulingRig : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SchedulingRig(TimeSpan duration, params string[] kinds)
    {
        Cache = new CacheStore(Path.Combine(_temp.Path, "cache"));
        Executors = kinds.ToDictionary(k => k, k => new RecordingExecutor(k, duration, _clock, Intervals));
    }

    public CacheStore Cache { get; }
    public Dictionary<string, RecordingExecutor> Executors { get; }
    public List<(string Id, double Start, double End)> Intervals { get; } = [];
    public string LogDirectory => Path.Combine(_temp.Path, "logs");

    public RunResult Run(TaskGraph graph, EngineOptions? options = null) =>
        new Engine(Cache, Executors.Values, new SilentProgress(), Serilog.Core.Logger.None, options).Run(graph);

    /// <summary>The most tasks (of those whose id starts with <paramref name="prefix"/>) that were ever running at the same moment.</summary>
    public int MostAtOnce(string prefix = "")
    {
        var mine = Intervals.Where(i => i.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return mine.Max(a => mine.Count(b => b.Start <= a.Start && a.Start < b.End));
    }

    public void Dispose() => _temp.Dispose();
}
