using System.Text.Json.Nodes;
using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary><c>time</c>'s parameters; <paramref name="Hardware"/> (device, driver, libtorch, threads) is part of timing keys only.</summary>
public sealed record TimeParams(string Arch, int ImageSize, int Seed, int Warmup, int Iterations, IReadOnlyList<int> BatchSizes, JsonObject Hardware)
{
    /// <summary>The backbone's <c>precision</c> and <c>channels_last</c>: it is timed as it trained.</summary>
    public string Precision { get; init; } = Precisions.Default;
    public bool ChannelsLast { get; init; }
    /// <summary><c>timing.throughput</c>; null: batch latency only.</summary>
    public ThroughputSpec? Throughput { get; init; }
}
