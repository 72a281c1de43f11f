namespace Runner.Core.Results;

/// <param name="Skipped">Files left out under <c>dataset.on_bad_image: skip</c>, each with its problem; empty when none were.</param>
internal sealed record DatasetSummary(
    string Name, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, int> Splits, IReadOnlyList<Runner.Core.Data.FileProblem>? Skipped = null);
