namespace Runner.Core.Execution;

/// <summary>
/// Thrown by an executor when its input is unusable and only the user can fix it (e.g. truncated or unreadable
/// images, a class with no images): the task fails like any other and its dependents are skipped, but the run
/// reports invalid input (exit code 2) rather than a task failure.
/// </summary>
public sealed class InvalidInputException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>An exception whose message is <see cref="Format"/>'s listing.</summary>
    public static InvalidInputException Listing(string headline, IReadOnlyList<string> problems, string? footer = null, int show = 20) =>
        new(Format(headline, problems, footer, show));

    /// <summary>"HEADLINE:" then one indented line per problem, the first <paramref name="show"/> of them, then "… and N more (total T)".</summary>
    public static string Format(string headline, IReadOnlyList<string> problems, string? footer = null, int show = 20)
    {
        var lines = new List<string> { headline + ":" };
        lines.AddRange(problems.Take(show).Select(p => "  " + p));
        if (problems.Count > show) lines.Add($"  … and {problems.Count - show} more (total {problems.Count})");
        if (footer is not null) lines.Add(footer);
        return string.Join(Environment.NewLine, lines);
    }
}
