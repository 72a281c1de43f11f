namespace Runner.Core.Execution;

/// <summary>A pattern on the command line that matches no task id: bad input (exit 2).</summary>
public sealed class TaskSelectionException(string message) : Exception(message);
