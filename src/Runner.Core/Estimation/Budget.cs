using System.Globalization;
using System.Text.RegularExpressions;

namespace Runner.Core.Estimation;

/// <summary><c>--budget</c>: a duration such as <c>2h</c>, <c>90m</c>, <c>1h30m</c> or <c>45s</c>.</summary>
public static partial class Budget
{
    /// <summary>The longest budget accepted (about 14 months): anything longer is a typo.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(10_000);

    [GeneratedRegex(@"^(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?\z")]
    private static partial Regex Pattern();

    /// <summary>The duration, or null when <paramref name="text"/> is not one (or is longer than <see cref="Max"/>).</summary>
    public static TimeSpan? Parse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim().Length == 0) return null;
        long Part(int i) => m.Groups[i].Success ? long.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = Part(1) * 3600 + Part(2) * 60 + Part(3);
        return seconds > 0 && seconds <= Max.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    public static string Format(double seconds) => seconds switch
    {
        < 60 => $"{seconds:0} s",
        < 3600 => $"{seconds / 60:0.0} min",
        _ => $"{seconds / 3600:0.00} h",
    };
}
