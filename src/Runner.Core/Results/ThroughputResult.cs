namespace Runner.Core.Results;

/// <summary><c>timing.throughput</c>'s two measurements: inference (eval mode, no gradients) and training (forward, backward, SGD step).</summary>
public sealed record ThroughputResult(ThroughputStats Inference, ThroughputStats Train);
