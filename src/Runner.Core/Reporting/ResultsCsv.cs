using System.Globalization;
using System.Text;
using Runner.Core.Reporting.Columns;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Reporting;

/// <summary>
/// <c>results.csv</c>: one row per backbone and per ensemble with the headline figures of results.json, for
/// spreadsheets (RFC 4180, invariant numbers, empty where a figure does not apply). Its columns are the
/// <see cref="ReportColumns"/> with a <see cref="Column.Csv"/> name.
/// </summary>
internal static class ResultsCsv
{
    public const string FileName = "results.csv";

    /// <summary>The columns with a results.csv name, in <see cref="ReportColumns.All"/> order.</summary>
    private static IReadOnlyList<Column> Figures => ReportColumns.All.Where(c => c.Csv is not null).ToList();

    public static IReadOnlyList<string> Columns => ["kind", "name", .. Figures.Select(c => c.Csv!)];

    public static IEnumerable<object?[]> Rows(ExperimentResults results) =>
        results.Backbones.Select(b => new ReportRow(b)).Select(r => (object?[])["backbone", r.Name, .. Figures.Select(c => c.Value(r))])
            .Concat(results.Ensembles.Select(e => (object?[])["ensemble", e.Name, .. Figures.Select(c => c.Ensemble?.Invoke(e))]));

    public static void Write(string path, ExperimentResults results)
    {
        var text = new StringBuilder();
        foreach (var row in Rows(results).Prepend(Columns.ToArray<object?>()))
            text.AppendJoin(',', row.Select(Field)).Append("\r\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            double d when !double.IsFinite(d) => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return Csv.Field(text);
    }
}
