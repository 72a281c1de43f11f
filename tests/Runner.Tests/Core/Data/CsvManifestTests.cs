using Runner.Core.Data;

namespace Runner.Tests.Core.Data;

/// <summary>CSV manifests: quoting, extra columns, and errors that name the CSV file and line.</summary>
public sealed class CsvManifestTests
{
    private static IReadOnlyList<CsvRow> Parse(string text) => CsvManifest.Parse(text, "data/labels.csv");

    private static string Fails(string text) => Assert.Throws<InvalidDataException>(() => Parse(text)).Message;

    [Fact]
    public void Header_columns_are_found_by_name_in_any_order_and_case_with_other_columns_ignored()
    {
        var rows = Parse("Label , extra, PATH\ncat,\"1, 2\",a.png\n\"dog\",,\"b \"\"quoted\"\".png\"\n");

        Assert.Equal([new CsvRow(2, "a.png", "cat"), new CsvRow(3, "b \"quoted\".png", "dog")], rows);
    }

    [Fact]
    public void Line_numbers_count_physical_lines_including_blank_ones_and_line_breaks_in_quotes()
    {
        var rows = Parse("path,label,note\r\na.png,x,\"two\nlines\"\r\n\r\nb.png,y,\n\\sub\\c.png,y,\n");

        Assert.Equal([new CsvRow(2, "a.png", "x"), new CsvRow(5, "b.png", "y"), new CsvRow(6, "/sub/c.png", "y")], rows);
    }

    [Fact]
    public void Missing_column_is_reported_at_the_header_line_with_a_suggestion()
    {
        var message = Fails("\nfile,labels\na.png,x\n");

        Assert.StartsWith("data/labels.csv:2: the header has no 'path' or 'label' column", message);
        Assert.Contains("(columns: 'file', 'labels')", message);
        Assert.Contains("did you mean 'labels' for 'label'?", message);
    }

    [Fact]
    public void Bad_rows_are_all_listed_with_their_line()
    {
        var message = Fails("path,label\na.png,x\nb.png\n,y\nc.png,\na.png,z\n");

        Assert.Contains("data/labels.csv: 4 bad rows:", message);
        Assert.Contains("data/labels.csv:3: 1 field, need at least 2", message);
        Assert.Contains("data/labels.csv:4: empty path", message);
        Assert.Contains("data/labels.csv:5: empty label for 'c.png'", message);
        Assert.Contains("data/labels.csv:6: 'a.png' is listed again (first on line 2)", message);
    }

    [Fact]
    public void Unclosed_quote_and_empty_file_are_errors_with_a_line()
    {
        Assert.StartsWith("data/labels.csv:3: a quoted field is never closed", Fails("path,label\na.png,x\n\"b.png,y\nc.png,y\n"));
        Assert.StartsWith("data/labels.csv:1: the CSV file is empty", Fails("\n\n"));
    }
}
