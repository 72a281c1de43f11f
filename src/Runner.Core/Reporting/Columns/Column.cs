using System.Globalization;
using Runner.Core.Results;

namespace Runner.Core.Reporting.Columns;

/// <summary>
/// One figure of a backbone, described once (as BenchmarkDotNet's <c>IColumn</c>): templates see <see cref="Name"/> as a
/// field of every row and print it with the <c>table</c> function, results.csv has it when <see cref="Csv"/> is set, and
/// docs/results.md's list of columns is generated from <see cref="Description"/>. Registered in <see cref="ReportColumns.All"/>.
/// </summary>
/// <param name="Name">snake_case: the row field templates read and the name the <c>table</c> function takes.</param>
/// <param name="Header">The table heading; <c>{best}</c> stands for the model with the lowest test log loss.</param>
/// <param name="Value">The raw figure (a number, text, a flag, or null where the row has none).</param>
internal sealed record Column(string Name, string Header, string Description, Func<ReportRow, object?> Value)
{
    /// <summary>How a table prints a number (.NET format, invariant culture); a missing figure prints as "–".</summary>
    public string Format { get; init; } = "";
    /// <summary>The cell's text when formatting the value is not enough (<c>32→16</c>, <c>★</c>); null from it: format the value.</summary>
    public Func<ReportRow, string?>? Text { get; init; }
    /// <summary>Which way is better: the best row of a table is printed in bold.</summary>
    public Better Better { get; init; }
    /// <summary>Which machine measured the figure: a best is picked, and rows compared, only among rows from the same one.</summary>
    public Measured Measured { get; init; }
    /// <summary>Whether a table shows the column for these rows; by default always.</summary>
    public Func<IReadOnlyList<ReportRow>, bool> Shown { get; init; } = _ => true;
    /// <summary>Markdown alignment row cell: <c>---:</c> (numbers), <c>---</c> (text) or <c>:---:</c> (marks).</summary>
    public string Align { get; init; } = "---:";
    /// <summary>The results.csv column; null when the figure is not in results.csv.</summary>
    public string? Csv { get; init; }
    /// <summary>An ensemble's value in results.csv; null leaves the cell empty.</summary>
    public Func<EnsembleResult, object?>? Ensemble { get; init; }

    /// <summary>The value as a number (NaN when missing or not a number), for picking a best.</summary>
    public double Number(ReportRow row) => Value(row) switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        _ => double.NaN,
    };

    /// <summary>The cell text, before any bold.</summary>
    public string Cell(ReportRow row)
    {
        if (Text?.Invoke(row) is { } text) return text;
        var value = Value(row);
        return value switch
        {
            _ when IsMissing(value) => "–",
            IFormattable f => f.ToString(Format.Length == 0 ? null : Format, CultureInfo.InvariantCulture),
            _ => value!.ToString() ?? "–",
        };
    }

    public static bool IsMissing(object? value) => value is null || value is double d && !double.IsFinite(d);
}

/// <summary>Which way a column's figure is better; <see cref="None"/>: no best.</summary>
internal enum Better
{
    None,
    Lower,
    Higher,
}

/// <summary>Which machine measured a column's figure: <see cref="Nowhere"/> for what does not depend on the machine (counts, losses).</summary>
internal enum Measured
{
    Nowhere,
    Training,
    Timing,
}
