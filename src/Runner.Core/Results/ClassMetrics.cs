namespace Runner.Core.Results;

/// <summary>One class's precision and recall (null when 0 / 0) and support (how many rows are that class).</summary>
public sealed record ClassMetrics(string Class, double? Precision, double? Recall, int Support);
