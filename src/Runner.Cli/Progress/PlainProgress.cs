using System.Diagnostics;
using Runner.Core.Execution;
using Runner.Core.Planning;

namespace Runner.Cli.Progress;

/// <summary>Line-oriented progress for logs and CI: a line when a task starts and ends, and at most one update every few seconds.</summary>
internal sealed class PlainProgress(TextWriter output, int total, TimeSpan interval) : IRunProgress
{
    private int _finished;

    public ITaskProgress Begin(PlannedTask task)
    {
        output.WriteLine($"[start] {task.Id} …"); // tasks may run side by side (--jobs): only ends are counted
        return new Task(output, task, interval);
    }

    public void End(TaskOutcome outcome)
    {
        output.WriteLine($"[{Interlocked.Increment(ref _finished)}/{total}] {Describe(outcome)}");
    }

    public static string Describe(TaskOutcome o) => o.Outcome switch
    {
        Outcome.Cached => o.FromRemote ? $"{o.Task.Id}: cached (remote, fetched in {o.Seconds:0.0} s)" : $"{o.Task.Id}: cached",
        Outcome.Ran => $"{o.Task.Id}: done in {o.Seconds:0.0} s",
        Outcome.Failed => $"{o.Task.Id}: FAILED after {o.Seconds:0.0} s: {o.Error}",
        _ => $"{o.Task.Id}: {o.Error}",
    };

    private sealed class Task(TextWriter output, PlannedTask task, TimeSpan interval) : ITaskProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.Zero;

        public void Update(double done, double total, string detail)
        {
            if (_clock.Elapsed - _last < interval && done < total) return;
            _last = _clock.Elapsed;
            var eta = done > 0 ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds * (total - done) / done) : TimeSpan.Zero;
            output.WriteLine($"      {task.Id} {100 * done / total:0}% {detail} ETA {eta:m\\:ss}");
        }
    }
}
