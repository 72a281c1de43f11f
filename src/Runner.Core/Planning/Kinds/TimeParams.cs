using System.Text.Json.Nodes;

namespace Runner.Core.Planning.Kinds;

/// <summary><c>time</c>'s parameters; <paramref name="Hardware"/> (device, driver, libtorch, threads) is part of timing keys only.</summary>
public sealed record TimeParams(string Arch, int ImageSize, int Seed, int Warmup, int Iterations, IReadOnlyList<int> BatchSizes, JsonObject Hardware);
