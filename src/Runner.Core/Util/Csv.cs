using System.Text;

namespace Runner.Core.Util;

/// <summary>The CSV every file runner writes uses: RFC 4180 quoting, \n line ends.</summary>
public static class Csv
{
    /// <summary>The field as is, or quoted (inner quotes doubled) when it holds a comma, quote or line break.</summary>
    public static string Field(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <summary>The lines joined, each ended by \n.</summary>
    public static string Text(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        return text.ToString();
    }
}
