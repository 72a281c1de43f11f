namespace Runner.Core.Data;

public static class Splits
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";
    public static readonly string[] All = [Train, Validation, Test];

    /// <summary>Unlabeled images of <c>dataset.predict</c> (label −1); never part of <see cref="All"/>.</summary>
    public const string Predict = "predict";
}
