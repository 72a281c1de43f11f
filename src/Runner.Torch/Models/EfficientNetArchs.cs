namespace Runner.Torch.Models;

/// <summary>EfficientNet B0–B7 (v1), built with torchvision's parameter names; image sizes are torchvision's eval crops.</summary>
internal static class EfficientNetArchs
{
    private const string Releases = "https://download.pytorch.org/models/";

    // torchvision's IMAGENET1K_V1 files under the names torchvision renamed them to (pytorch/vision#8036, after #7744):
    // each name's suffix is the start of the file's SHA-256. The full digests of B0 and B2–B7 are stated in
    // https://github.com/pytorch/vision/issues/7744#issuecomment-1754154799; B1's only by its name.
    public static readonly ArchDefinition B0 = Define("efficientnet_b0", 224, EfficientNetConfig.B0,
        ReleaseWeights.Pinned(Releases + "efficientnet_b0_rwightman-7f5810bc.pth",
            "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934"));
    public static readonly ArchDefinition B1 = Define("efficientnet_b1", 240, EfficientNetConfig.B1,
        ReleaseWeights.HubSuffix(Releases + "efficientnet_b1_rwightman-bac287d4.pth"));
    public static readonly ArchDefinition B2 = Define("efficientnet_b2", 288, EfficientNetConfig.B2,
        ReleaseWeights.Pinned(Releases + "efficientnet_b2_rwightman-c35c1473.pth",
            "c35c147384e385a5bab5a8eabdabbe5a3df0487ee4a554108626ae474a5bf755"));
    public static readonly ArchDefinition B3 = Define("efficientnet_b3", 300, EfficientNetConfig.B3,
        ReleaseWeights.Pinned(Releases + "efficientnet_b3_rwightman-b3899882.pth",
            "b3899882250c22946d0229d266049fcd133c169233530b36b9ffa7983988362f"));
    public static readonly ArchDefinition B4 = Define("efficientnet_b4", 380, EfficientNetConfig.B4,
        ReleaseWeights.Pinned(Releases + "efficientnet_b4_rwightman-23ab8bcd.pth",
            "23ab8bcd5bdbef61a7a43b91adcad81f622fd7f36fb4935a569828d77888c44e"));
    public static readonly ArchDefinition B5 = Define("efficientnet_b5", 456, EfficientNetConfig.B5,
        ReleaseWeights.Pinned(Releases + "efficientnet_b5_lukemelas-1a07897c.pth",
            "1a07897c0d357db7981640f6be44a63420f11deb932344a69768b62ebe272946"));
    public static readonly ArchDefinition B6 = Define("efficientnet_b6", 528, EfficientNetConfig.B6,
        ReleaseWeights.Pinned(Releases + "efficientnet_b6_lukemelas-24a108a5.pth",
            "24a108a596a00ad522bdfb9a2d98a9bd31819dfd7e37dd96bad6bb5bc00d6015"));
    public static readonly ArchDefinition B7 = Define("efficientnet_b7", 600, EfficientNetConfig.B7,
        ReleaseWeights.Pinned(Releases + "efficientnet_b7_lukemelas-c5b4e57e.pth",
            "c5b4e57e0da1a10bb4f8a5b410dd3b7b6e7461f9b757209be29409707c3d87dd"));

    private static ArchDefinition Define(string name, int imageSize, EfficientNetConfig config, ReleaseWeights release) =>
        new(name, imageSize, Normalization.ImageNet, n => new EfficientNet(config, n), "classifier.1", release) { BlockCount = 9 };
}
