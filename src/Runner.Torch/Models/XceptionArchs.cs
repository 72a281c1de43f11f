namespace Runner.Torch.Models;

/// <summary>Xception architectures, built with timm's parameter names.</summary>
internal static class XceptionArchs
{
    /// <summary>
    /// timm's legacy (Cadene) Xception, <c>legacy_xception</c> (formerly <c>xception</c>): 299², mean = std = 0.5. Its weights
    /// are the file timm's <c>legacy_xception.tf_in1k</c> config names (a legacy torch.save pickle). timm never checks its
    /// hash and no public source states it, so its 9-digit name suffix is not trusted as a checksum: the download is
    /// recorded, not verified. Its tag is timm's; its transforms are Cadene's (<c>scale</c> 0.8975: resize 333, crop 299;
    /// mean = std = 0.5) with timm's bicubic interpolation.
    /// </summary>
    public static readonly ArchDefinition Xception = new("xception", 299, Normalization.Inception, (n, _) => new Xception(n), "fc",
        ReleaseWeights.Unverified("https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-cadene/xception-43020ad28.pth") with
        {
            Tag = "tf_in1k",
            Top1 = 78.892,
            Transforms = new ReleaseTransforms(333, 299, ReleaseTransforms.Bicubic, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]),
        }) { BlockCount = 12 };
}
