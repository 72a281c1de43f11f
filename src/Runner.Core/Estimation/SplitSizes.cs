using Runner.Core.Config;

namespace Runner.Core.Estimation;

/// <summary>How many images each split holds (predicted from the file count and the split fractions before the data task has run).</summary>
public sealed record SplitSizes(int Train, int Validation, int Test)
{
    public static SplitSizes Predict(int files, SplitSpec split)
    {
        var validation = (int)Math.Round(files * split.Validation);
        var test = (int)Math.Round(files * split.Test);
        return new SplitSizes(Math.Max(0, files - validation - test), validation, test);
    }
}
