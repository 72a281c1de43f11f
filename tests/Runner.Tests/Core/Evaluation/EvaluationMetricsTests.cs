using System.Text.Json;
using Runner.Core.Evaluation;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Tests.Core.Evaluation;

/// <summary>Confusion matrix, per-class precision/recall and ECE against hand-computed values.</summary>
public sealed class EvaluationMetricsTests
{
    // Three classes; argmax per row: 0, 1, 2, 0, 2, 1 (row 5 ties 1 and 2 → the first, 1).
    private static readonly double[][] Probs =
    [
        [0.7, 0.2, 0.1],
        [0.1, 0.8, 0.1],
        [0.2, 0.2, 0.6],
        [0.5, 0.3, 0.2],
        [0.3, 0.3, 0.4],
        [0.2, 0.4, 0.4],
    ];
    private static readonly int[] Labels = [0, 1, 2, 1, 2, 2];
    private static readonly string[] Classes = ["a", "b", "c"];

    [Fact]
    public void Confusion_has_true_classes_as_rows_and_predicted_classes_as_columns()
    {
        var confusion = Metrics.Confusion(Probs, Labels, 3);
        // true a: predicted a once; true b: b once, a once; true c: c twice, b once.
        Assert.Equal([1, 0, 0], confusion[0]);
        Assert.Equal([1, 1, 0], confusion[1]);
        Assert.Equal([0, 1, 2], confusion[2]);
        Assert.Equal(Labels.Length, confusion.Sum(r => r.Sum()));
    }

    [Fact]
    public void Per_class_precision_recall_and_support_follow_the_confusion_matrix()
    {
        var perClass = Metrics.PerClass(Metrics.Confusion(Probs, Labels, 3), Classes);
        Assert.Equal(Classes, perClass.Select(c => c.Class));
        // a: predicted a 2×, 1 right → precision 1/2; 1 true a, found → recall 1.
        Assert.Equal(0.5, perClass[0].Precision!.Value, 12);
        Assert.Equal(1.0, perClass[0].Recall!.Value, 12);
        Assert.Equal(1, perClass[0].Support);
        // b: predicted b 2× (rows 1, 5), 1 right → 1/2; 2 true b, 1 found → 1/2.
        Assert.Equal(0.5, perClass[1].Precision!.Value, 12);
        Assert.Equal(0.5, perClass[1].Recall!.Value, 12);
        Assert.Equal(2, perClass[1].Support);
        // c: predicted c 2×, both right → 1; 3 true c, 2 found → 2/3.
        Assert.Equal(1.0, perClass[2].Precision!.Value, 12);
        Assert.Equal(2.0 / 3, perClass[2].Recall!.Value, 12);
        Assert.Equal(3, perClass[2].Support);
    }

    [Fact]
    public void Precision_and_recall_are_null_when_undefined()
    {
        // Class 1 never predicted and never true.
        var perClass = Metrics.PerClass(Metrics.Confusion([[0.9, 0.1], [0.8, 0.2]], [0, 0], 2), ["x", "y"]);
        Assert.Null(perClass[1].Precision);
        Assert.Null(perClass[1].Recall);
        Assert.Equal(0, perClass[1].Support);
        Assert.Equal(1.0, perClass[0].Recall);
        Assert.Equal(1.0, perClass[0].Precision);
    }

    [Fact]
    public void Ece_bins_the_top_probability_into_fifteen_equal_width_bins()
    {
        // Confidences 0.7, 0.8, 0.6, 0.5, 0.4, 0.4; correct: yes, yes, yes, no, yes, no.
        // Bins of width 1/15: 0.4 → (0.4, 0.4667]? no: 0.4 = 6/15 → bin 5 = (5/15, 6/15]; 0.5 → (7/15, 8/15] bin 7;
        // 0.6 = 9/15 → bin 8; 0.7 → (10/15, 11/15] bin 10; 0.8 = 12/15 → bin 11. Every bin but bin 5 has one row.
        // bin 5: rows 4 (right) and 5 (wrong): |0.5 − 0.4| × 2/6; the others: |1 − 0.7|, |1 − 0.8|, |1 − 0.6|, |0 − 0.5| × 1/6.
        var expected = 2.0 / 6 * 0.1 + (0.3 + 0.2 + 0.4 + 0.5) / 6;
        Assert.Equal(expected, Metrics.ExpectedCalibrationError(Probs, Labels), 12);
    }

    [Fact]
    public void Ece_is_zero_when_confidence_matches_accuracy_and_nan_without_rows()
    {
        // Two rows at confidence 0.5 (bin 7), one right: accuracy 0.5 = confidence.
        Assert.Equal(0.0, Metrics.ExpectedCalibrationError([[0.5, 0.5], [0.5, 0.5]], [0, 1]), 12);
        Assert.Equal(1.0, Metrics.ExpectedCalibrationError([[1.0, 0.0]], [1]), 12);
        Assert.True(double.IsNaN(Metrics.ExpectedCalibrationError([], [])));
    }

    [Fact]
    public void Ece_with_one_bin_is_the_gap_between_mean_confidence_and_accuracy()
    {
        // Mean confidence (0.7 + 0.8 + 0.6 + 0.5 + 0.4 + 0.4) / 6 = 0.5667; accuracy 4/6.
        Assert.Equal(Math.Abs(4.0 / 6 - 3.4 / 6), Metrics.ExpectedCalibrationError(Probs, Labels, bins: 1), 12);
    }

    [Fact]
    public void Summarize_with_classes_adds_the_new_fields_to_eval_json_and_keeps_the_old_ones()
    {
        var predictions = new SplitPredictions(["1", "2", "3", "4", "5", "6"], Labels, Probs);
        var metrics = Metrics.Summarize(predictions, Classes);
        Assert.Equal(Metrics.LogLoss(Probs, Labels), metrics.LogLoss);
        Assert.Equal(6, metrics.N);
        var result = new EvalResult(metrics, metrics) { Tta = "hflip" };
        var json = JsonSerializer.Serialize(result, Json.Options);
        using var doc = JsonDocument.Parse(json);
        var test = doc.RootElement.GetProperty("test");
        foreach (var name in new[] { "log_loss", "accuracy", "n", "confusion", "per_class", "ece" })
            Assert.True(test.TryGetProperty(name, out _), name);
        Assert.Equal([0, 1, 2], test.GetProperty("confusion")[2].EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("c", test.GetProperty("per_class")[2].GetProperty("class").GetString());
        Assert.Equal(3, test.GetProperty("per_class")[2].GetProperty("support").GetInt32());
        Assert.Equal("hflip", doc.RootElement.GetProperty("tta").GetString());

        var back = JsonSerializer.Deserialize<EvalResult>(json, Json.Options)!;
        Assert.Equal(metrics.Ece, back.Test.Ece);
        Assert.Equal([1, 1, 0], back.Test.Confusion![1]);
        Assert.Equal(2.0 / 3, back.Test.PerClass![2].Recall!.Value, 12);

        // eval.json written before these fields existed still reads.
        var old = JsonSerializer.Deserialize<EvalResult>(
            """{"validation":{"log_loss":0.5,"accuracy":0.75,"n":4},"test":{"log_loss":0.4,"accuracy":1,"n":4}}""", Json.Options)!;
        Assert.Null(old.Test.Confusion);
        Assert.Null(old.Test.Ece);
        Assert.Null(old.Tta);
    }

    [Fact]
    public void Summarize_without_classes_is_unchanged()
    {
        var metrics = Metrics.Summarize(new SplitPredictions(["1", "2", "3", "4", "5", "6"], Labels, Probs));
        Assert.Null(metrics.Confusion);
        Assert.Null(metrics.PerClass);
        Assert.Null(metrics.Ece);
    }
}
