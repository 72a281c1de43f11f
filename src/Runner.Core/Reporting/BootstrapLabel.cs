using System.Globalization;
using Runner.Core.Evaluation;

namespace Runner.Core.Reporting;

/// <summary>How the report prints a paired bootstrap: <c>+0.0123 (+0.0050 to +0.0190) ✱</c>, ✱ when significant at 95 %; "–" for none.</summary>
internal static class BootstrapLabel
{
    public const string SignificantMark = "✱";

    public static string Of(BootstrapResult? b) => b is null
        ? "–"
        : $"{Signed(b.Difference)} ({Signed(b.Ci95[0])} to {Signed(b.Ci95[1])}){(b.Significant ? " " + SignificantMark : "")}";

    private static string Signed(double value) =>
        (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("0.0000", CultureInfo.InvariantCulture);
}
