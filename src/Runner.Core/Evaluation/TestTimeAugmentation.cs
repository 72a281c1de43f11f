namespace Runner.Core.Evaluation;

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
