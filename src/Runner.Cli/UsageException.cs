namespace Runner.Cli;

/// <summary>Bad input the user must fix: printed as one clear message, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
