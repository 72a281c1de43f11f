namespace Runner.Core.Config;

/// <summary>A problem in an experiment file, located as FILE:LINE:COL.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
