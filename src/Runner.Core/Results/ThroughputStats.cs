namespace Runner.Core.Results;

/// <summary>
/// One throughput measurement (<c>timing.throughput</c>), inference or training, timm's way: <paramref name="N"/> steps at
/// <paramref name="BatchSize"/> after <paramref name="Warmup"/>, each ended by a device synchronise.
/// <paramref name="SamplesPerSecond"/> is over the whole timed run; <paramref name="StepMs"/> the per-step median and
/// <paramref name="StepIqrMs"/> its spread. <paramref name="BatchSize"/> is smaller than <paramref name="RequestedBatchSize"/>
/// after running out of CUDA memory (256 → 192 → 128 → 96 …).
/// </summary>
public sealed record ThroughputStats(
    int RequestedBatchSize, int BatchSize, double SamplesPerSecond, double StepMs, double StepIqrMs, int N, int Warmup)
{
    /// <summary>
    /// With <c>detail: true</c>, training only: per-step medians of the forward pass (with the loss), the backward pass and the optimizer step (ms).
    /// </summary>
    public double? ForwardMs { get; init; }
    public double? BackwardMs { get; init; }
    public double? OptimizerMs { get; init; }
}
