namespace Runner.Torch.Models;

/// <summary>
/// A torchvision release as its <c>WeightsEnum</c> states it: file under <c>download.pytorch.org/models/</c> (the name ends in
/// the start of its SHA-256, which torchvision checks), tag, top-1 and ImageClassification transforms (ImageNet mean and std;
/// torchvision's defaults resize 256, crop 224, bilinear). Checked against torchvision 0.14.1 and today's tables.
/// </summary>
internal static class TorchvisionRelease
{
    public const string Models = "https://download.pytorch.org/models/";

    public static ReleaseWeights Of(string tag, string file, double top1, int resize = 256, int crop = 224,
        string interpolation = ReleaseTransforms.Bilinear) =>
        ReleaseWeights.HubSuffix(Models + file) with
        {
            Tag = tag,
            Top1 = top1,
            Transforms = ReleaseTransforms.ImageNet(resize, crop, interpolation),
        };

    public static ReleaseWeights V1(string file, double top1, int resize = 256, int crop = 224, string interpolation = ReleaseTransforms.Bilinear) =>
        Of("IMAGENET1K_V1", file, top1, resize, crop, interpolation);

    /// <summary>torchvision's "new training recipe" weights: resize 232 (or as given), crop 224, bilinear.</summary>
    public static ReleaseWeights V2(string file, double top1, int resize = 232, int crop = 224) => Of("IMAGENET1K_V2", file, top1, resize, crop);
}
