using System.Text;
using Runner.Core.Execution;
using Runner.Core.Util;

namespace Runner.Core.Data;

/// <summary>
/// A <c>csv</c> dataset's manifest: a header row naming (at least) <c>path</c> and <c>label</c> columns, then one row per
/// image. Fields may be quoted ("a, b" with "" for a quote, line breaks allowed); other columns are ignored; blank lines
/// are skipped. Image paths are relative to the CSV's folder. Every problem names the CSV file and line.
/// </summary>
internal static class CsvManifest
{
    public static readonly string[] RequiredColumns = ["path", "label"];

    public static IReadOnlyList<CsvRow> Read(string csvPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(csvPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{csvPath}: cannot read the CSV file: {e.Message}", e);
        }
        return Parse(text, csvPath);
    }

    public static IReadOnlyList<CsvRow> Parse(string text, string csvPath)
    {
        var records = Records(text, csvPath);
        if (records.Count == 0)
            throw new InvalidDataException($"{csvPath}:1: the CSV file is empty; it needs a header row with 'path' and 'label' columns");

        var (headerLine, header) = records[0];
        var names = header.Select(h => h.Trim()).ToList();
        var columns = new Dictionary<string, int>();
        var missing = new List<string>();
        foreach (var required in RequiredColumns)
        {
            var index = names.FindIndex(n => string.Equals(n, required, StringComparison.OrdinalIgnoreCase));
            if (index >= 0) columns[required] = index;
            else missing.Add(required);
        }
        if (missing.Count > 0)
        {
            // Column names are echoed only when the line looks like a header: the file may be anything, e.g. a secret.
            var looksLikeHeader = names.All(n => n.Length <= 40 && n.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '-' or '.'));
            var hints = missing.Select(m => Suggest.Closest(m, names) is { } c ? $"'{c}' for '{m}'?" : null).OfType<string>().ToList();
            throw new InvalidDataException(
                $"{csvPath}:{headerLine}: the header has no {string.Join(" or ", missing.Select(m => $"'{m}'"))} column " +
                (looksLikeHeader
                    ? $"(columns: {string.Join(", ", names.Select(n => $"'{n}'"))}){(hints.Count > 0 ? "; did you mean " + string.Join(", ", hints) : "")}; "
                    : "(its first line does not look like a CSV header); ") +
                "a csv dataset needs 'path' and 'label' columns");
        }

        var rows = new List<CsvRow>();
        var errors = new List<string>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var needed = Math.Max(columns["path"], columns["label"]) + 1;
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count < needed)
            {
                errors.Add($"{csvPath}:{line}: {fields.Count} field{(fields.Count == 1 ? "" : "s")}, need at least {needed} ('path' is column {columns["path"] + 1}, 'label' column {columns["label"] + 1})");
                continue;
            }
            var path = fields[columns["path"]].Trim().Replace('\\', '/');
            var label = fields[columns["label"]].Trim();
            if (path.Length == 0) errors.Add($"{csvPath}:{line}: empty path");
            else if (label.Length == 0) errors.Add($"{csvPath}:{line}: empty label for '{path}'");
            else if (firstLine.TryGetValue(path, out var first)) errors.Add($"{csvPath}:{line}: '{path}' is listed again (first on line {first})");
            else
            {
                firstLine[path] = line;
                rows.Add(new CsvRow(line, path, label));
            }
        }
        if (errors.Count > 0)
            throw new InvalidDataException(InvalidInputException.Format($"{csvPath}: {errors.Count} bad row{(errors.Count == 1 ? "" : "s")}", errors));
        return rows;
    }

    /// <summary>RFC 4180 records with the line each starts on; blank lines are skipped.</summary>
    private static List<(int Line, List<string> Fields)> Records(string text, string csvPath)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var quoteLine = 0;
        var fieldWasQuoted = false;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (!(fields.Count == 1 && fields[0].Length == 0 && !fieldWasQuoted)) records.Add((start, fields));
            fields = [];
            fieldWasQuoted = false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    quoted = true;
                    fieldWasQuoted = true;
                    quoteLine = line;
                    field.Clear();
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (quoted) throw new InvalidDataException($"{csvPath}:{quoteLine}: a quoted field is never closed (missing '\"')");
        if (field.Length > 0 || fields.Count > 0 || fieldWasQuoted) EndRecord();
        return records;
    }
}
