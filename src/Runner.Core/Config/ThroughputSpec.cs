namespace Runner.Core.Config;

/// <summary>
/// <c>timing: { throughput: … }</c>, timm's benchmark.py as a time task measures it: <paramref name="Warmup"/> then
/// <paramref name="Iterations"/> steps at <paramref name="BatchSize"/> (smaller after running out of CUDA memory), for
/// inference and for training; <paramref name="Detail"/> also times forward, backward and optimizer apart (timm's --detail).
/// </summary>
public sealed record ThroughputSpec(int BatchSize = 256, int Warmup = 10, int Iterations = 40, bool Detail = false);
