namespace Runner.Core.Planning.Kinds;

/// <summary><c>features</c>' parameters.</summary>
public sealed record FeaturesParams(string Arch, int ImageSize, int BatchSize, string Pool = "penultimate");
