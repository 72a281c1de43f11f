using System.Globalization;
using System.Text;
using Runner.Core.Data;
using Runner.Core.Results;

namespace Runner.Core.Evaluation;

/// <summary>
/// The Kaggle submission an eval task writes for <c>dataset.predict</c>: <c>id,label</c> with the positive-class (class 1)
/// probability for two classes, <c>id,&lt;class names…&gt;</c> with every class's probability otherwise; rows in natural id order
/// (2 before 10); invariant culture, shortest round-trip numbers, RFC 4180 quoting, \n line ends.
/// </summary>
public static class Submission
{
    /// <summary>The CSV's lines, header first.</summary>
    public static IReadOnlyList<string> Lines(SplitPredictions predictions, IReadOnlyList<string> classes)
    {
        if (classes.Count < 2) throw new ArgumentException($"a submission needs at least 2 classes, got {classes.Count}", nameof(classes));
        var lines = new List<string>(predictions.Ids.Count + 1)
        {
            classes.Count == 2 ? "id,label" : "id," + string.Join(",", classes.Select(Field)),
        };
        var order = Enumerable.Range(0, predictions.Ids.Count).OrderBy(i => predictions.Ids[i], NaturalComparer.Instance).ToList();
        foreach (var i in order)
        {
            var row = predictions.Probabilities[i];
            if (row.Length != classes.Count)
                throw new ArgumentException($"row '{predictions.Ids[i]}' has {row.Length} probabilities for {classes.Count} classes", nameof(predictions));
            lines.Add(Field(predictions.Ids[i]) + "," + (classes.Count == 2 ? Number(row[1]) : string.Join(",", row.Select(Number))));
        }
        return lines;
    }

    /// <summary>The CSV text (UTF-8 without BOM when written; every line ends with \n).</summary>
    public static string Text(SplitPredictions predictions, IReadOnlyList<string> classes)
    {
        var text = new StringBuilder();
        foreach (var line in Lines(predictions, classes)) text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>The report's copy of one backbone's submission.</summary>
    public static string ReportFileName(string backbone) => $"submission-{backbone}.csv";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Field(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}

/// <summary>Test-time augmentation of the eval task (<c>evaluation.tta</c>).</summary>
public static class TestTimeAugmentation
{
    /// <summary>Each image once.</summary>
    public const string None = "none";

    /// <summary>The mean of the class probabilities of the image and of its left–right mirror.</summary>
    public const string HFlip = "hflip";

    public static readonly string[] All = [None, HFlip];

    /// <summary>Element-wise mean of two rows of probabilities (the image's and its mirror's).</summary>
    public static double[] Average(double[] image, double[] mirror)
    {
        if (image.Length != mirror.Length) throw new ArgumentException("rows of different lengths");
        var mean = new double[image.Length];
        for (var c = 0; c < mean.Length; c++) mean[c] = (image[c] + mirror[c]) / 2;
        return mean;
    }
}
