namespace Runner.Core.Config;

/// <summary>Thrown when an experiment file cannot be used; carries every problem found, in file order.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
