namespace Runner.Core.Planning.Kinds;

/// <summary><c>eval</c>'s parameters; <paramref name="Tta"/> is <c>none</c> or <c>hflip</c>.</summary>
public sealed record EvalParams(string Arch, int ImageSize, int BatchSize, string Tta);
