using Runner.Core.Cache;
using Runner.Core.Planning;
using Serilog;

namespace Runner.Core.Execution;

/// <summary>
/// One run of a task graph. The calling thread decides; executed tasks run on their own threads. A task starts when
/// its dependencies are done, its resource class has room (<see cref="ResourceClass"/>) and it holds its key's lock;
/// tasks are considered in graph order, so with one device slot a backbone's eval and timing follow its training.
/// A task missing here whose entry the remote cache has is fetched instead, as a CPU job under its key's lock; if the
/// remote's entry is refused (or the remote fails), the task runs as usual.
/// </summary>
internal sealed class Scheduler(
    CacheStore cache, IReadOnlyDictionary<string, ITaskExecutor> executors, IRunProgress progress, ILogger log,
    EngineOptions options, TaskGraph graph, CancellationToken cancel)
{
    private sealed record Running(PlannedTask Task, ResourceClass Class, Task<TaskRunResult> Work, int? Device, bool Fetch = false);

    private readonly List<PlannedTask> _pending = [.. graph.Tasks];
    private readonly List<Running> _running = [];
    private readonly Dictionary<string, TaskOutcome> _outcomes = [];
    private readonly Dictionary<string, CacheEntry> _entries = [];
    /// <summary>For failed and skipped tasks: the failed task that caused it.</summary>
    private readonly Dictionary<string, string> _cause = [];
    /// <summary>Ready tasks found not cached (or corrupt: the note says how), so they are not re-hashed at every pass.</summary>
    private readonly Dictionary<string, string?> _mustRun = [];
    private readonly HashSet<string> _waitingForLock = [];
    /// <summary>Ready tasks missing here whose entry the remote has: fetched rather than executed.</summary>
    private readonly HashSet<string> _onRemote = [];
    private readonly HashSet<string> _fetching = [];
    /// <summary>Why nothing new may start (fail-fast after a failure, or the cache cannot be written); null while all is well.</summary>
    private string? _stop;

    public RunResult Run()
    {
        while (_pending.Count > 0 || _running.Count > 0)
        {
            if (cancel.IsCancellationRequested && _running.Count == 0) throw new OperationCanceledException(cancel);
            if (!cancel.IsCancellationRequested) StartWhatCan();
            if (_running.Count > 0) Task.WaitAny([.. _running.Select(r => r.Work)], options.LockPoll);
            else if (_pending.Count > 0) cancel.WaitHandle.WaitOne(options.LockPoll); // only tasks another run holds are left
            foreach (var done in _running.Where(r => r.Work.IsCompleted).ToList())
            {
                _running.Remove(done);
                if (cancel.IsCancellationRequested && done.Work.Exception?.InnerException is OperationCanceledException) continue;
                if (done.Fetch && !Fetched(done)) continue;
                var result = done.Work.IsFaulted
                    ? new TaskRunResult(new TaskOutcome(done.Task, Outcome.Failed, 0, done.Work.Exception!.InnerException!.Message), null)
                    : done.Work.Result;
                if (result.CacheFailed) _stop = $"the cache cannot be written (see {done.Task.Id})";
                Finish(result.Outcome, result.Entry);
            }
        }
        // The last tasks may have stopped for the cancellation: they have no outcome, and the run has none either.
        if (graph.Tasks.Any(t => !_outcomes.ContainsKey(t.Id))) throw new OperationCanceledException(cancel);
        return new RunResult(graph.Tasks.Select(t => _outcomes[t.Id]).ToList());
    }

    private void StartWhatCan()
    {
        foreach (var task in _pending.ToList())
        {
            if (task.DependsOn.FirstOrDefault(d => _cause.ContainsKey(d)) is { } blocked)
            {
                _cause[task.Id] = _cause[blocked];
                Finish(new TaskOutcome(task, Outcome.Skipped, 0, $"skipped: {_cause[blocked]} failed"));
                continue;
            }
            if (!task.DependsOn.All(_outcomes.ContainsKey) || _fetching.Contains(task.Id)) continue;
            if (!_mustRun.ContainsKey(task.Id))
            {
                if (UsableEntry(task, out var corrupt) is { } cached)
                {
                    Finish(new TaskOutcome(task, Outcome.Cached, 0), cached);
                    continue;
                }
                _mustRun[task.Id] = corrupt;
                if (options.Remote is { } remote && !options.Force.Contains(task.Id) && remote.Has(task.Key)) _onRemote.Add(task.Id);
            }
            if (_stop is not null)
            {
                Finish(new TaskOutcome(task, Outcome.Skipped, 0, $"not started: {_stop}"));
                continue;
            }
            var resource = _onRemote.Contains(task.Id) ? ResourceClass.Cpu : task.Resource;
            if (HasRoom(resource, out var device)) TryStart(task, resource, device);
        }
    }

    /// <summary>The task's verified cache entry, unless forced; a corrupt entry is logged, set aside for re-execution and described.</summary>
    private CacheEntry? UsableEntry(PlannedTask task, out string? corrupt)
    {
        corrupt = null;
        if (options.Force.Contains(task.Id)) return null;
        var entry = cache.Find(task.Key, out var damage);
        IReadOnlyList<string> problems = entry is not null ? CacheStore.Verify(entry) : damage is not null ? [damage] : [];
        if (problems.Count == 0) return entry;
        corrupt = $"cache entry was corrupt ({string.Join("; ", problems)}); re-executed";
        log.Warning("{Task}: cache entry {Key} is corrupt: {Problems}", task.Id, task.Key, problems);
        return null;
    }

    /// <summary>Whether a task of <paramref name="resource"/> may start now, and on which device (null for CPU work).</summary>
    private bool HasRoom(ResourceClass resource, out int? device)
    {
        device = null;
        if (_running.Any(r => r.Class == ResourceClass.Exclusive)) return false;
        switch (resource)
        {
            case ResourceClass.Exclusive:
                device = options.Devices[0];
                return _running.Count == 0;
            case ResourceClass.Device:
                if (_running.Count >= Math.Max(1, options.Jobs)) return false;
                device = LeastBusyDevice();
                return device is not null;
            default:
                return _running.Count < Math.Max(1, options.Jobs);
        }
    }

    /// <summary>The device running the fewest device tasks (the first listed on a tie) if it has a free slot; null when all are full.</summary>
    private int? LeastBusyDevice()
    {
        var device = options.Devices.MinBy(d => _running.Count(r => r.Class == ResourceClass.Device && r.Device == d));
        return _running.Count(r => r.Class == ResourceClass.Device && r.Device == device) < Math.Max(1, options.DeviceSlots) ? device : null;
    }

    private void TryStart(PlannedTask task, ResourceClass resource, int? device)
    {
        FileLock? keyLock;
        try
        {
            keyLock = cache.TryLock(task.Key, $"{task.Id} of {graph.Experiment}");
        }
        catch (Exception e) when (StorageFault.Describe(e, cache.Root) is { } fault)
        {
            _stop = $"the cache cannot be written (see {task.Id})";
            Finish(new TaskOutcome(task, Outcome.Failed, 0, fault));
            return;
        }
        if (keyLock is null)
        {
            if (_waitingForLock.Add(task.Id)) log.Information("{Task}: another run is executing key {Key}; waiting for it", task.Id, task.Key);
            return;
        }
        // Another run may have finished this key since we looked.
        if (!options.Force.Contains(task.Id) && cache.Find(task.Key) is { } theirs && CacheStore.Verify(theirs).Count == 0)
        {
            keyLock.Dispose();
            Finish(new TaskOutcome(task, Outcome.Cached, 0), theirs);
            return;
        }
        if (_onRemote.Contains(task.Id))
        {
            StartFetch(task, keyLock);
            return;
        }
        _pending.Remove(task);
        var inputs = task.DependsOn.ToDictionary(d => d, d => _entries[d]);
        var run = new TaskRun(cache, executors[task.Kind], log, options, graph.Experiment);
        var work = Task.Factory.StartNew(() => run.Execute(task, inputs, keyLock, progress.Begin(task), _mustRun[task.Id], cancel, device),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _running.Add(new Running(task, resource, work, device));
    }

    /// <summary>Fetches the task's entry from the remote on a thread of its own; the task stays pending until it is in.</summary>
    private void StartFetch(PlannedTask task, FileLock keyLock)
    {
        _fetching.Add(task.Id);
        var remote = options.Remote!;
        var work = Task.Factory.StartNew(() =>
        {
            using var _ = keyLock;
            var fetch = remote.Fetch(task.Key, cache);
            if (fetch.Entry is null) // absent after all, unavailable (reported once), or refused: noted
                return new TaskRunResult(new TaskOutcome(task, Outcome.Skipped, 0, fetch.Result == RemoteResult.Refused ? fetch.Problem : null),
                    null);
            log.Information("{Task}: fetched {Key} from {Remote} ({Bytes} bytes in {Seconds:F2} s)",
                task.Id, task.Key, remote.Name, fetch.Bytes, fetch.Time.TotalSeconds);
            return new TaskRunResult(new TaskOutcome(task, Outcome.Cached, fetch.Time.TotalSeconds) { FromRemote = true }, fetch.Entry);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _running.Add(new Running(task, ResourceClass.Cpu, work, Device: null, Fetch: true));
    }

    /// <summary>Whether a finished fetch brought the entry; if not, its task is left to run here (a refused entry is noted).</summary>
    private bool Fetched(Running fetch)
    {
        var id = fetch.Task.Id;
        _fetching.Remove(id);
        _onRemote.Remove(id);
        if (!fetch.Work.IsFaulted && fetch.Work.Result.Entry is not null) return true;
        var problem = fetch.Work.IsFaulted ? fetch.Work.Exception!.InnerException!.Message : fetch.Work.Result.Outcome.Error;
        if (problem is not null)
        {
            _mustRun[id] = $"the remote cache's entry was refused ({problem}); re-executed";
            log.Warning("{Task}: the remote cache's entry {Key} was refused: {Problem}", id, fetch.Task.Key, problem);
        }
        return false;
    }

    private void Finish(TaskOutcome outcome, CacheEntry? entry = null)
    {
        var task = outcome.Task;
        _pending.Remove(task);
        if (entry is not null)
        {
            _entries[task.Id] = entry;
            RecordLatest(task);
            if (executors[task.Kind] is IMaterializes m) outcome = Materialize(m, entry, outcome);
        }
        if (outcome.Outcome == Outcome.Failed)
        {
            _cause[task.Id] = task.Id;
            if (!options.KeepGoing) _stop ??= $"{task.Id} failed and --keep-going is off";
        }
        _outcomes[task.Id] = outcome;
        progress.End(outcome);
    }

    private void RecordLatest(PlannedTask task)
    {
        try
        {
            cache.RecordLatest(graph.Experiment, task.Id, task.Key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            log.Warning(e, "Could not record {Task} in the cache index (used to explain changes and by cache gc)", task.Id);
        }
    }

    private TaskOutcome Materialize(IMaterializes materializer, CacheEntry entry, TaskOutcome outcome)
    {
        try
        {
            materializer.Materialize(entry, outcome.Task, options.Environment!, cancel);
            return outcome;
        }
        catch (InvalidInputException e)
        {
            log.Error(e, "Could not write {Task}'s output", outcome.Task.Id);
            return outcome with { Outcome = Outcome.Failed, Error = e.Message, InvalidInput = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error(e, "Could not write {Task}'s output", outcome.Task.Id);
            return outcome with { Outcome = Outcome.Failed, Error = $"could not write its output: {e.Message}" };
        }
    }
}
