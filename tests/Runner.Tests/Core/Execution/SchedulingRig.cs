using System.Diagnostics;
using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Execution;

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
        new Engine(Cache, Executors.Values.Select(e => e.Binding), new SilentProgress(), Serilog.Core.Logger.None, options).Run(graph);

    /// <summary>The device each executed task was given (null for CPU work).</summary>
    public IReadOnlyDictionary<string, int?> DeviceOf => Executors.Values.SelectMany(e => e.Devices).ToDictionary(d => d.Key, d => d.Value);

    /// <summary>The most tasks (of those whose id starts with <paramref name="prefix"/>) that were ever running at the same moment.</summary>
    public int MostAtOnce(string prefix = "")
    {
        var mine = Intervals.Where(i => i.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return mine.Max(a => mine.Count(b => b.Start <= a.Start && a.Start < b.End));
    }

    public void Dispose() => _temp.Dispose();
}
