using Runner.Core.Cache;
using Runner.Core.Planning;
using Serilog;

namespace Runner.Core.Execution;

public sealed class TaskContext(
    PlannedTask task, string outputDir,
    IReadOnlyDictionary<string, CacheEntry> inputs, ITaskProgress progress, ILogger log, CancellationToken cancel)
{
    public PlannedTask Task { get; } = task;
    public string OutputDir { get; } = outputDir;
    public IReadOnlyDictionary<string, CacheEntry> Inputs { get; } = inputs;
    public ITaskProgress Progress { get; } = progress;
    public ILogger Log { get; } = log;
    public CancellationToken Cancel { get; } = cancel;
    /// <summary>Where the dataset lies and the report goes on this machine: read by executors, never part of a key.</summary>
    public TaskEnvironment Environment
    {
        get => _environment ?? throw new InvalidOperationException($"{Task.Id}: the engine was started without a task environment");
        init => _environment = value;
    }

    private readonly TaskEnvironment? _environment;

    /// <summary>A folder (not yet created) in the cache, outside <see cref="OutputDir"/>, that survives a killed run and is deleted when the task commits; null when not offered.</summary>
    public string? ResumeDirectory { get; init; }
    /// <summary>The device the scheduler gave a device or exclusive task (one of <see cref="EngineOptions.Devices"/>); null for CPU work.</summary>
    public int? DeviceIndex { get; init; }

    /// <summary>The task's typed parameters record (its kind's): all an executor reads besides its inputs.</summary>
    public T Params<T>() => Task.Parameters is T p ? p
        : throw new InvalidOperationException($"{Task.Id}: parameters are {Task.Parameters.GetType().Name}, not {typeof(T).Name}");
    public string Output(string file) => Path.Combine(OutputDir, file);
    public CacheEntry Input(TaskId taskId) => Inputs[taskId];
}
