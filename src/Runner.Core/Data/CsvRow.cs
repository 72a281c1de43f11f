namespace Runner.Core.Data;

/// <summary>One data row of a CSV manifest; <see cref="Line"/> is where the row starts (1-based, the header is line 1 or later).</summary>
internal sealed record CsvRow(int Line, string Path, string Label);
