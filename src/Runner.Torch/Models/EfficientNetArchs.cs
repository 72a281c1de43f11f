namespace Runner.Torch.Models;

/// <summary>EfficientNet B0–B7 and V2 S/M/L, built with torchvision's parameter names; image sizes are the default release's eval crop.</summary>
internal static class EfficientNetArchs
{
    private const string Bicubic = ReleaseTransforms.Bicubic;

    // torchvision's IMAGENET1K_V1 files under the names torchvision renamed them to (pytorch/vision#8036, after #7744):
    // each name's suffix is the start of the file's SHA-256. The full digests of B0 and B2–B7 are stated in
    // https://github.com/pytorch/vision/issues/7744#issuecomment-1754154799; B1's only by its name.
    public static readonly ArchDefinition B0 = Define("efficientnet_b0", EfficientNetConfig.B0,
        Pinned("efficientnet_b0_rwightman-7f5810bc.pth", "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934", 77.692, 256, 224));
    public static readonly ArchDefinition B1 = Define("efficientnet_b1", EfficientNetConfig.B1,
        TorchvisionRelease.V2("efficientnet_b1-c27df63c.pth", 79.838, resize: 255, crop: 240),
        TorchvisionRelease.V1("efficientnet_b1_rwightman-bac287d4.pth", 78.642, 256, 240, Bicubic));
    public static readonly ArchDefinition B2 = Define("efficientnet_b2", EfficientNetConfig.B2,
        Pinned("efficientnet_b2_rwightman-c35c1473.pth", "c35c147384e385a5bab5a8eabdabbe5a3df0487ee4a554108626ae474a5bf755", 80.608, 288, 288));
    public static readonly ArchDefinition B3 = Define("efficientnet_b3", EfficientNetConfig.B3,
        Pinned("efficientnet_b3_rwightman-b3899882.pth", "b3899882250c22946d0229d266049fcd133c169233530b36b9ffa7983988362f", 82.008, 320, 300));
    public static readonly ArchDefinition B4 = Define("efficientnet_b4", EfficientNetConfig.B4,
        Pinned("efficientnet_b4_rwightman-23ab8bcd.pth", "23ab8bcd5bdbef61a7a43b91adcad81f622fd7f36fb4935a569828d77888c44e", 83.384, 384, 380));
    public static readonly ArchDefinition B5 = Define("efficientnet_b5", EfficientNetConfig.B5,
        Pinned("efficientnet_b5_lukemelas-1a07897c.pth", "1a07897c0d357db7981640f6be44a63420f11deb932344a69768b62ebe272946", 83.444, 456, 456));
    public static readonly ArchDefinition B6 = Define("efficientnet_b6", EfficientNetConfig.B6,
        Pinned("efficientnet_b6_lukemelas-24a108a5.pth", "24a108a596a00ad522bdfb9a2d98a9bd31819dfd7e37dd96bad6bb5bc00d6015", 84.008, 528, 528));
    public static readonly ArchDefinition B7 = Define("efficientnet_b7", EfficientNetConfig.B7,
        Pinned("efficientnet_b7_lukemelas-c5b4e57e.pth", "c5b4e57e0da1a10bb4f8a5b410dd3b7b6e7461f9b757209be29409707c3d87dd", 84.122, 600, 600));

    public static readonly ArchDefinition V2S = Define("efficientnet_v2_s", EfficientNetConfig.V2S,
        TorchvisionRelease.V1("efficientnet_v2_s-dd5fe13b.pth", 84.228, 384, 384));
    public static readonly ArchDefinition V2M = Define("efficientnet_v2_m", EfficientNetConfig.V2M,
        TorchvisionRelease.V1("efficientnet_v2_m-dc08266a.pth", 85.112, 480, 480));
    // Ported from TensorFlow: normalised with mean = std = 0.5 (torchvision's transforms for it say so).
    public static readonly ArchDefinition V2L = Define("efficientnet_v2_l", EfficientNetConfig.V2L,
        TorchvisionRelease.V1("efficientnet_v2_l-59c71312.pth", 85.808, 480, 480, Bicubic) with
        {
            Transforms = new ReleaseTransforms(480, 480, Bicubic, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]),
        });

    private static ReleaseWeights Pinned(string file, string sha256, double top1, int resize, int crop) =>
        ReleaseWeights.Pinned(TorchvisionRelease.Models + file, sha256) with
        {
            Top1 = top1,
            Transforms = ReleaseTransforms.ImageNet(resize, crop, Bicubic),
        };

    /// <summary>
    /// The default image size is the default release's crop, the normalisation its mean and std; blocks: the children of
    /// <c>features</c> (stem, stages, head conv).
    /// </summary>
    private static ArchDefinition Define(string name, EfficientNetConfig config, ReleaseWeights release, params ReleaseWeights[] others) =>
        new(name, release.Transforms!.Crop, release.Transforms.Mean[0] == 0.5f ? Normalization.Inception : Normalization.ImageNet,
            (n, _) => new EfficientNet(config, n), "classifier.1", release)
        {
            BlockCount = config.Stages.Count + 2,
            OtherReleases = others,
            DropPath = EfficientNet.DefaultDropPath,
        };
}
