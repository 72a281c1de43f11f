using Runner.Core.Config;
using Runner.Core.Reporting;
using Runner.Core.Reporting.Columns;
using Runner.Core.Execution;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Reporting.Columns;

/// <summary>Each column is described once: one descriptor gives the templates' row field, the table cell, the results.csv column, the docs.</summary>
public sealed class ReportColumnsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Docs_results_md_lists_every_column_as_the_descriptors_describe_it()
    {
        var path = Path.Combine(ReferenceFixtures.RepoRoot(), "docs", "results.md");
        var text = File.ReadAllText(path);
        var begin = text.IndexOf(ReportColumns.DocsBegin, StringComparison.Ordinal);
        var end = text.IndexOf(ReportColumns.DocsEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/results.md lacks the lines {ReportColumns.DocsBegin} and {ReportColumns.DocsEnd}");
        var committed = text[(begin + ReportColumns.DocsBegin.Length)..end].Trim('\n');
        var generated = ReportColumns.Markdown().Trim('\n');
        Assert.True(committed == generated, $"docs/results.md's columns are out of date; put this between its markers:\n{generated}");
    }

    [Fact]
    public void Names_and_csv_names_are_unique_and_every_column_has_a_value_for_every_fixture_row()
    {
        Assert.Equal(ReportColumns.All.Count, ReportColumns.All.Select(c => c.Name).Distinct().Count());
        var csv = ReportColumns.All.Where(c => c.Csv is not null).Select(c => c.Csv).ToList();
        Assert.Equal(csv.Count, csv.Distinct().Count());
        var model = ReportModel.From(ReportFixture.Current);
        foreach (var column in ReportColumns.All)
            Assert.All(model.Rows, r => Assert.False(string.IsNullOrEmpty(column.Cell(r)) && column.Text is null, $"{column.Name} of {r.Name}"));
    }

    [Fact]
    public void A_column_reaches_the_template_rows_the_table_function_and_results_csv()
    {
        _dir.File("t/summary.md.sbn", """
            {{ for row in rows }}{{ row.name }} {{ row.epoch_seconds | math.format "0.000" }} {{ row.latency_n }}
            {{ end }}{{ t = table rows ["epoch_seconds", "gmacs"] }}{{ for c in t.columns }}{{ c.header }};{{ end }}
            {{ for line in t.rows }}{{ line.name }}: {{ line.cells | array.join " / " }}
            {{ end }}
            """);
        var templates = ReportTemplates.Load(new ReportSpec("t", "out"), Path.Combine(_dir.Path, "exp.yaml"));

        var (_, text) = Assert.Single(ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)));

        Assert.Contains("mobilenet_v2 2.330 50", text);
        Assert.Contains("Seconds per epoch;GMACs;", text);
        Assert.Contains("mobilenet_v2: **2.33** / 0.006", text);
        Assert.Contains("epoch_seconds_median", ResultsCsv.Columns);
    }

    [Fact]
    public void A_table_naming_an_unknown_column_fails_at_render_time_naming_the_template_and_the_columns()
    {
        _dir.File("t/summary.md.sbn", "# x\n{{ t = table rows [\"epoch_secs\"] }}");
        var templates = ReportTemplates.Load(new ReportSpec("t", "out"), Path.Combine(_dir.Path, "exp.yaml"));

        var e = Assert.Throws<InvalidInputException>(() => ReportWriter.Render(templates, ReportModel.From(ReportFixture.Current)).ToList());

        Assert.Matches(@"t/summary\.md\.sbn:2:\d+: .*no column 'epoch_secs'.*epoch_seconds", e.Message);
    }
}
