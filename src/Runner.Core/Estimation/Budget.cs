using System.Globalization;
using System.Text.RegularExpressions;

namespace Runner.Core.Estimation;

/// <summary><c>--budget</c>: a duration such as <c>2h</c>, <c>90m</c>, <c>1h30m</c> or <c>45s</c>.</summary>
public static partial class Budget
{
    [GeneratedRegex(@"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex Pattern();

    /// <summary>The duration, or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim().Length == 0) return null;
        int Part(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(Part(1), Part(2), Part(3));
        return span > TimeSpan.Zero ? span : null;
    }

    public static string Format(double seconds) => seconds switch
    {
        < 60 => $"{seconds:0} s",
        < 3600 => $"{seconds / 60:0.0} min",
        _ => $"{seconds / 3600:0.00} h",
    };
}
