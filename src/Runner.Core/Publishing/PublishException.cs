namespace Runner.Core.Publishing;

/// <summary>Publishing stopped: one message for the user, and the exit code it deserves (2: fix the input or token; 1: try again later).</summary>
public sealed class PublishException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static PublishException Usage(string message) => new(message, 2);
    public static PublishException Failure(string message) => new(message, 1);
}
