using System.Globalization;
using Runner.Core.Data;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Evaluation;

/// <summary>
/// The Kaggle submission an eval task writes for <c>dataset.predict</c>: <c>id,label</c> with the positive-class (class 1)
/// probability for two classes, <c>id,&lt;class names…&gt;</c> with every class's probability otherwise; rows in natural id order
/// (2 before 10); invariant culture, shortest round-trip numbers, RFC 4180 quoting, \n line ends.
/// </summary>
public static class Submission
{
    /// <summary>The CSV's lines, header first.</summary>
    public static IReadOnlyList<string> Lines(SplitPredictions predictions, IReadOnlyList<string> classes) =>
        Lines(predictions.Ids, predictions.Probabilities, classes, Number);

    /// <summary>
    /// The CSV's lines for any number type (the eval task's doubles, <c>runner predict</c>'s floats, each written by
    /// <paramref name="number"/>): one writer for both.
    /// </summary>
    public static IReadOnlyList<string> Lines<T>(IReadOnlyList<string> ids, IReadOnlyList<T[]> probabilities, IReadOnlyList<string> classes, Func<T, string> number)
    {
        if (classes.Count < 2) throw new ArgumentException($"a submission needs at least 2 classes, got {classes.Count}", nameof(classes));
        var lines = new List<string>(ids.Count + 1)
        {
            classes.Count == 2 ? "id,label" : "id," + string.Join(",", classes.Select(Csv.Field)),
        };
        var order = Enumerable.Range(0, ids.Count).OrderBy(i => ids[i], NaturalComparer.Instance).ToList();
        foreach (var i in order)
        {
            var row = probabilities[i];
            if (row.Length != classes.Count)
                throw new ArgumentException($"row '{ids[i]}' has {row.Length} probabilities for {classes.Count} classes", nameof(probabilities));
            lines.Add(Csv.Field(ids[i]) + "," + (classes.Count == 2 ? number(row[1]) : string.Join(",", row.Select(number))));
        }
        return lines;
    }

    /// <summary>The CSV text (UTF-8 without BOM when written; every line ends with \n).</summary>
    public static string Text(SplitPredictions predictions, IReadOnlyList<string> classes) => Csv.Text(Lines(predictions, classes));

    /// <summary>The report's copy of one backbone's submission.</summary>
    public static string ReportFileName(string backbone) => $"submission-{backbone}.csv";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
