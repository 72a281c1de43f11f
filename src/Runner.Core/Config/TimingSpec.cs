namespace Runner.Core.Config;

public sealed record TimingSpec(int Warmup, int Iterations, IReadOnlyList<int> BatchSizes);
