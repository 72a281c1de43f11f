using Runner.Torch.Evaluation;

namespace Runner.Tests.Torch.Evaluation;

/// <summary>The CSV rules that need no model: Kaggle id order, duplicate ids, quoting.</summary>
public sealed class ImagePredictionTests
{
    private static ImagePredictions Binary(params string[] files) => new(
        files, 1,
        files.Select((_, i) => new[] { (float)i }).ToList(),
        files.Select((_, i) => new[] { 1f - i / 10f, i / 10f }).ToList());

    [Fact]
    public void Kaggle_ids_are_in_natural_order_like_the_eval_tasks_submission()
    {
        var numeric = ImagePrediction.CsvLines(Binary("/d/1.jpg", "/d/10.jpg", "/d/2.jpg", "/d/007.jpg"), PredictionFormat.Kaggle);
        Assert.Equal(["id,label", "1,0", "2,0.2", "007,0.3", "10,0.1"], numeric);

        var mixed = ImagePrediction.CsvLines(Binary("/d/1.jpg", "/d/10.jpg", "/d/cat.jpg"), PredictionFormat.Kaggle);
        Assert.Equal(["id,label", "1,0", "10,0.1", "cat,0.2"], mixed);

        var prefixed = ImagePrediction.CsvLines(Binary("/d/img10.jpg", "/d/img2.jpg"), PredictionFormat.Kaggle);
        Assert.Equal(["id,label", "img2,0.1", "img10,0"], prefixed);
    }

    [Fact]
    public void Kaggle_refuses_duplicate_ids_and_heads_with_more_than_two_classes()
    {
        var duplicate = Assert.Throws<PredictionException>(() => ImagePrediction.CsvLines(Binary("/d/1.jpg", "/d/1.png"), PredictionFormat.Kaggle));
        Assert.Contains("1 (1.jpg, 1.png)", duplicate.Message);

        var three = new ImagePredictions(["/d/a.png"], 3, [[0f, 1f, 2f]], [[0.1f, 0.2f, 0.7f]]);
        Assert.Throws<PredictionException>(() => ImagePrediction.CsvLines(three, PredictionFormat.Kaggle));
        Assert.Equal(["file,c0,c1,c2", "a.png,0,1,2"], ImagePrediction.CsvLines(three, PredictionFormat.Logits));
    }

    [Fact]
    public void A_binary_head_has_one_logit_column_and_two_probability_columns()
    {
        Assert.Equal(["file,c1", "a.png,0", "b.png,1"], ImagePrediction.CsvLines(Binary("/d/a.png", "/d/b.png"), PredictionFormat.Logits));
        Assert.Equal(["file,c0,c1", "a.png,1,0", "b.png,0.9,0.1"], ImagePrediction.CsvLines(Binary("/d/a.png", "/d/b.png"), PredictionFormat.Probs));
    }

    [Fact]
    public void File_names_with_commas_or_quotes_are_quoted()
    {
        Assert.Equal("plain.png", Runner.Core.Util.Csv.Field("plain.png"));
        Assert.Equal("\"a,b.png\"", Runner.Core.Util.Csv.Field("a,b.png"));
        Assert.Equal("\"say \"\"hi\"\".png\"", Runner.Core.Util.Csv.Field("say \"hi\".png"));
    }
}
