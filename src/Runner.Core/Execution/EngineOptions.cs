using Runner.Core.Cache;

namespace Runner.Core.Execution;

/// <summary>How <see cref="Engine"/> schedules: <c>runner run</c>'s <c>--jobs</c>, <c>--keep-going</c> and <c>--force</c>.</summary>
public sealed record EngineOptions
{
    /// <summary>At most this many tasks at once (and so at most this many <see cref="ResourceClass.Cpu"/> tasks).</summary>
    public int Jobs { get; init; } = System.Environment.ProcessorCount;

    /// <summary>At most this many <see cref="ResourceClass.Device"/> tasks at once on each device.</summary>
    public int DeviceSlots { get; init; } = 1;

    /// <summary>
    /// The devices device tasks are pinned to (CUDA indices, <c>--devices</c>; [0] stands for the CPU): each device task gets
    /// the least busy one with a free slot, and an exclusive task the first, with nothing else running.
    /// </summary>
    public IReadOnlyList<int> Devices { get; init; } = [0];

    /// <summary>After a failure, still run everything that does not depend on it; otherwise start nothing new.</summary>
    public bool KeepGoing { get; init; } = true;

    /// <summary>Task ids to execute even when cached (<c>--force</c>, already widened to their dependents).</summary>
    public IReadOnlySet<string> Force { get; init; } = new HashSet<string>();

    /// <summary>Where each executed task's own log file goes (<c>DIR/&lt;experiment&gt;/&lt;task&gt;.log</c>); null: none.</summary>
    public string? TaskLogDirectory { get; init; }

    /// <summary>
    /// The machine-local facts executors read (<see cref="TaskContext.Environment"/>); null only where no executor
    /// reads them (tests).
    /// </summary>
    public TaskEnvironment? Environment { get; init; }

    /// <summary>
    /// The shared remote cache (<c>RUNNER_REMOTE</c>, <c>--remote</c>): a task missing here is fetched from it when it has the
    /// entry, and every executed task's entry is uploaded to it. Null: none, or <c>--no-remote</c>.
    /// </summary>
    public IRemoteCache? Remote { get; init; }

    /// <summary>How often to retry a key another run holds the lock of.</summary>
    public TimeSpan LockPoll { get; init; } = TimeSpan.FromMilliseconds(250);
}
