namespace Runner.Core.Config;

/// <summary>Where something was declared, for errors found after parsing (e.g. weights that are not available).</summary>
public sealed record ConfigLocation(int Line, int Column);
