using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>One true class of a backbone's test split: its confusion-matrix row (counts per predicted class) and precision, recall, support.</summary>
internal sealed record ClassLine(string Name, IReadOnlyList<int> Counts, double? Precision, double? Recall, int Support)
{
    public static IReadOnlyList<ClassLine> From(SplitMetrics test)
    {
        if (test.PerClass is not { } perClass || test.Confusion is not { } confusion || confusion.Count != perClass.Count) return [];
        return perClass.Select((c, i) => new ClassLine(c.Class, confusion[i], c.Precision, c.Recall, c.Support)).ToList();
    }
}
