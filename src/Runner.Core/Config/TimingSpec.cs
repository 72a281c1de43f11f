namespace Runner.Core.Config;

public sealed record TimingSpec(int Warmup, int Iterations, IReadOnlyList<int> BatchSizes)
{
    /// <summary><c>timing.throughput</c>: inference and training samples/s at a large batch; null: not measured.</summary>
    public ThroughputSpec? Throughput { get; init; }
}
