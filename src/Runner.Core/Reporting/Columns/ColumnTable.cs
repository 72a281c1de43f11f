namespace Runner.Core.Reporting.Columns;

/// <summary>
/// A table of rows by named columns, as the templates' <c>table</c> function returns it: the columns these rows show
/// (<see cref="Column.Shown"/>), and each row's cells as text, the best of a column in bold. A best is picked among the
/// rows whose figure one machine measured, so a table mixing machines has one best per machine.
/// </summary>
internal sealed record ColumnTable(IReadOnlyList<ColumnTable.Heading> Columns, IReadOnlyList<ColumnTable.Line> Rows)
{
    public sealed record Heading(string Name, string Header, string Align);

    public sealed record Line(string Name, IReadOnlyList<string> Cells);

    /// <param name="best">The model with the lowest test log loss, for headers that name it.</param>
    public static ColumnTable Of(IReadOnlyList<ReportRow> rows, IEnumerable<string> names, string best)
    {
        var columns = names.Select(ReportColumns.Named).Where(c => c.Shown(rows)).ToList();
        var winners = columns.Select(c => Best(c, rows)).ToList();
        return new ColumnTable(
            columns.Select(c => new Heading(c.Name, c.Header.Replace("{best}", best, StringComparison.Ordinal), c.Align)).ToList(),
            rows.Select(r => new Line(r.Name, columns.Select((c, i) => winners[i].Contains(r) ? $"**{c.Cell(r)}**" : c.Cell(r)).ToList())).ToList());
    }

    /// <summary>The rows with the best figure of <paramref name="column"/>: one per machine that measured it (none without a direction).</summary>
    public static IReadOnlySet<ReportRow> Best(Column column, IReadOnlyList<ReportRow> rows)
    {
        if (column.Better == Better.None) return new HashSet<ReportRow>(ReferenceEqualityComparer.Instance);
        var sign = column.Better == Better.Lower ? 1 : -1;
        return rows.Where(r => double.IsFinite(column.Number(r))).GroupBy(r => MachineOf(column, r))
            .Select(g => g.MinBy(r => sign * column.Number(r))!).ToHashSet<ReportRow>(ReferenceEqualityComparer.Instance);
    }

    /// <summary>The id of the machine that measured the row's figure of <paramref name="column"/>; "" for figures no machine changes.</summary>
    public static string MachineOf(Column column, ReportRow row) => column.Measured switch
    {
        Measured.Training => row.Backbone.Train.Machine ?? "",
        Measured.Timing => row.Backbone.Timing.Machine ?? "",
        _ => "",
    };
}
