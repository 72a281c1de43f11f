namespace Runner.Core.Results;

/// <summary><c>eval.json</c> of an eval task.</summary>
public sealed record EvalResult(SplitMetrics Validation, SplitMetrics Test)
{
    public const string FileName = "eval.json";
    public const string Predictions = "predictions.json";

    /// <summary>The Kaggle submission an eval task writes when the dataset has a <c>predict</c> folder.</summary>
    public const string Submission = "submission.csv";

    /// <summary>Test-time augmentation the predictions used: <c>none</c> or <c>hflip</c> (null in older entries).</summary>
    public string? Tta { get; init; }

    /// <summary>Rows of <see cref="Submission"/> (images of <c>dataset.predict</c>); null when no submission was written.</summary>
    public int? SubmissionRows { get; init; }
}
