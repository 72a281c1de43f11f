using System.Text.RegularExpressions;

namespace Runner.Core.Config;

public sealed record LabelPattern(string Class, string Pattern)
{
    /// <summary>
    /// The compiled pattern, on .NET's non-backtracking engine: matching takes time linear in the file name whatever the
    /// pattern (<c>^(a+)+$</c> cannot hang a scan), at the price of backreferences, lookarounds and atomic groups.
    /// </summary>
    public Regex ToRegex() => new(Pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(2));
}
