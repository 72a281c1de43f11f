using Runner.Core.Evaluation;
using Runner.Core.Results;

namespace Runner.Tests.Core.Evaluation;

/// <summary>The Kaggle submission file: header, positive-class column, natural id order, number format.</summary>
public sealed class SubmissionTests
{
    [Fact]
    public void Binary_submission_is_id_label_with_the_positive_class_probability_in_natural_id_order()
    {
        var predictions = new SplitPredictions(["10", "2", "1", "img10", "img9"], [-1, -1, -1, -1, -1],
            [[0.9, 0.1], [0.25, 0.75], [0.5, 0.5], [0.6, 0.4], [0.3, 0.7]]);
        Assert.Equal(
            ["id,label", "1,0.5", "2,0.75", "10,0.1", "img9,0.7", "img10,0.4"],
            Submission.Lines(predictions, ["cat", "dog"]));
        Assert.Equal("id,label\n1,0.5\n2,0.75\n10,0.1\nimg9,0.7\nimg10,0.4\n", Submission.Text(predictions, ["cat", "dog"]));
    }

    [Fact]
    public void Multi_class_submission_has_one_probability_column_per_class_in_class_order()
    {
        var predictions = new SplitPredictions(["b", "a,1"], [-1, -1], [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]);
        Assert.Equal(
            ["id,shirt,tshirt_top,\"coat, long\"", "\"a,1\",1,0,0", "b,0.2,0.3,0.5"],
            Submission.Lines(predictions, ["shirt", "tshirt_top", "coat, long"]));
    }

    [Fact]
    public void Numbers_round_trip_in_invariant_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var p = 1.0 / 3;
            var line = Submission.Lines(new SplitPredictions(["7"], [-1], [[1 - p, p]]), ["a", "b"])[1];
            Assert.Equal("7," + p.ToString("R", System.Globalization.CultureInfo.InvariantCulture), line);
            Assert.Equal(p, double.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Report_copy_is_named_after_the_backbone() =>
        Assert.Equal("submission-mobilenet_v2.csv", Submission.ReportFileName("mobilenet_v2"));

    [Fact]
    public void Tta_average_is_the_elementwise_mean() =>
        Assert.Equal([0.5, 0.5], TestTimeAugmentation.Average([0.75, 0.25], [0.25, 0.75]));
}
