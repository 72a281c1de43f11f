namespace Runner.Torch.Models;

/// <summary>
/// The evaluation transforms a release was scored with, as its publisher states them (torchvision's
/// <c>weights.transforms()</c>): resize the shorter side to <see cref="Resize"/> with <see cref="Interpolation"/>, centre-crop
/// <see cref="Crop"/>, normalise with <see cref="Mean"/> and <see cref="Std"/>. runner trains and evaluates at the backbone's
/// <c>image_size</c>, whose default is the crop of the release <c>weights</c> names.
/// </summary>
public sealed record ReleaseTransforms(int Resize, int Crop, string Interpolation, float[] Mean, float[] Std)
{
    public const string Bilinear = "bilinear";
    public const string Bicubic = "bicubic";

    /// <summary>torchvision's ImageClassification preset: ImageNet mean and standard deviation.</summary>
    public static ReleaseTransforms ImageNet(int resize, int crop, string interpolation = Bilinear) =>
        new(resize, crop, interpolation, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>"resize 232 bilinear, crop 224, mean 0.485/0.456/0.406, std 0.229/0.224/0.225".</summary>
    public override string ToString() =>
        $"resize {Resize} {Interpolation}, crop {Crop}, mean {Join(Mean)}, std {Join(Std)}";

    private static string Join(float[] values) =>
        string.Join('/', values.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
}
