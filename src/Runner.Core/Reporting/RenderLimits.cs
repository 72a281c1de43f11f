namespace Runner.Core.Reporting;

/// <summary>
/// What rendering one report template may take. A template is a small program (its functions can recurse, and a
/// function calling itself twice per level runs for ages within any recursion limit), so each gets a time budget and an
/// output budget; exceeding either fails the report task with a message naming the template.
/// </summary>
internal sealed record RenderLimits(TimeSpan Time, int OutputChars)
{
    public static readonly RenderLimits Default = new(TimeSpan.FromSeconds(30), 16 * 1024 * 1024);
}
