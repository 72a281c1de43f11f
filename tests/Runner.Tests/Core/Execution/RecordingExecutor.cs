using System.Diagnostics;
using Runner.Core.Execution;

namespace Runner.Tests.Core.Execution;

/// <summary>Runs every kind it is given; each execution sleeps, writes a file and records its interval and the device it was given.</summary>
internal sealed class RecordingExecutor(string kind, TimeSpan duration, Stopwatch clock, List<(string Id, double Start, double End)> log) : ITaskExecutor
{
    public TaskBinding Binding => new(kind, this);
    public HashSet<string> FailFor { get; } = [];
    public Action<TaskContext>? Write { get; init; }
    public Dictionary<string, int?> Devices { get; } = [];

    public void Execute(TaskContext context)
    {
        lock (Devices) Devices[context.Task.Id] = context.DeviceIndex;
        var start = clock.Elapsed.TotalMilliseconds;
        Thread.Sleep(duration);
        (Write ?? (c => File.WriteAllText(c.Output("out.txt"), c.Task.Id)))(context);
        lock (log) log.Add((context.Task.Id, start, clock.Elapsed.TotalMilliseconds));
        if (FailFor.Contains(context.Task.Id)) throw new InvalidOperationException($"boom in {context.Task.Id}");
    }
}
