namespace Runner.Core.Execution;

/// <summary>What a task occupies while it runs; the scheduler never oversubscribes a class.</summary>
public enum ResourceClass
{
    /// <summary>CPU work (data checks, reports, ensembles): up to <c>--jobs</c> at once.</summary>
    Cpu,

    /// <summary>Work on the torch device (train, eval): one per device slot, even when the device is the CPU, whose
    /// intra-op thread pool already uses every core.</summary>
    Device,

    /// <summary>Measurements (time): run alone, with nothing else running.</summary>
    Exclusive,
}
