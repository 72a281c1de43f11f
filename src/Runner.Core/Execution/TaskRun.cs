using System.Diagnostics;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Serilog;

namespace Runner.Core.Execution;

/// <summary>Executes one task while holding its key's lock: stage, execute, seal the entry, release.</summary>
internal sealed class TaskRun(CacheStore cache, ITaskExecutor executor, ILogger log, EngineOptions options, string experiment)
{
    public TaskRunResult Execute(PlannedTask task, IReadOnlyDictionary<string, CacheEntry> inputs,
        FileLock keyLock, ITaskProgress progress, string? note, CancellationToken cancel, int? device = null)
    {
        using var _ = keyLock;
        var logFile = LogFileFor(task);
        using var taskLog = TaskLogger(task, logFile);
        var clock = Stopwatch.StartNew();
        string? staging = null;
        try
        {
            cache.ClearLeftovers(task.Key);
            staging = cache.BeginStaging(task.Key);
            if (note is not null) taskLog.Warning("{Task}: {Note}", task.Id, note);
            taskLog.Information("Running {Task} ({Key}){Device}", task.Id, task.Key, device is null ? "" : $" on device {device}");
            executor.Execute(new TaskContext(task, staging, inputs, progress, taskLog, cancel)
            {
                ResumeDirectory = cache.ResumeDirectory(task.Key),
                DeviceIndex = device,
                Environment = options.Environment!,
            });
            var manifest = new CacheManifest(task.Key, task.Id, task.Kind, task.Params,
                inputs.ToDictionary(i => i.Key, i => i.Value.Manifest.Key), Planner.RunnerVersion,
                DateTimeOffset.UtcNow, clock.Elapsed.TotalSeconds, []) { Revision = task.Descriptor.Revision };
            var entry = cache.Commit(staging, manifest, replace: true);
            cache.DeleteResume(task.Key);
            var seconds = clock.Elapsed.TotalSeconds;
            taskLog.Information("Finished {Task} in {Seconds:F1} s", task.Id, seconds);
            if (options.Remote is { } remote) Upload(remote, entry, taskLog);
            return new TaskRunResult(new TaskOutcome(task, Outcome.Ran, seconds) { Note = note, LogFile = logFile }, entry);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Abandon(staging);
            taskLog.Error(e, "Task {Task} failed", task.Id);
            var storage = StorageFault.Describe(e, cache.Root);
            return new TaskRunResult(
                new TaskOutcome(task, Outcome.Failed, clock.Elapsed.TotalSeconds, storage ?? e.Message) { InvalidInput = e is InvalidInputException, LogFile = logFile },
                null, CacheFailed: storage is not null);
        }
        catch
        {
            Abandon(staging);
            throw;
        }
    }

    /// <summary>Shares the new entry through the remote cache; whatever the remote does, the task has succeeded.</summary>
    private static void Upload(IRemoteCache remote, CacheEntry entry, ILogger taskLog)
    {
        var upload = remote.Upload(entry);
        if (upload.Result == RemoteResult.Transferred)
            taskLog.Information("Uploaded {Key} to {Remote}: {Bytes} bytes in {Seconds:F2} s",
                entry.Manifest.Key, remote.Name, upload.Bytes, upload.Time.TotalSeconds);
        else if (upload.Result != RemoteResult.AlreadyThere)
            taskLog.Warning("Not uploaded to {Remote}: {Problem}", remote.Name, upload.Problem);
    }

    private void Abandon(string? staging)
    {
        try
        {
            if (staging is not null) cache.AbandonStaging(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning(e, "Could not delete staging folder {Staging}; the next run of its key removes it", staging);
        }
    }

    private string? LogFileFor(PlannedTask task) => options.TaskLogDirectory is { } dir
        ? Path.Combine(dir, experiment, string.Concat(task.Id.ToString().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')) + ".log")
        : null;

    /// <summary>The run's log, plus (when on) a file of this task's own lines, emptied at each execution.</summary>
    private Serilog.Core.Logger TaskLogger(PlannedTask task, string? logFile)
    {
        var config = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Logger(log.ForContext("Task", task.Id));
        if (logFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            File.Delete(logFile);
            config = config.WriteTo.File(logFile, formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}");
        }
        return config.CreateLogger();
    }
}
