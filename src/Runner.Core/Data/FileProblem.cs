namespace Runner.Core.Data;

/// <summary>A file the data task cannot use, by the path a user would type (relative to the working directory).</summary>
public sealed record FileProblem(string File, string Problem);
