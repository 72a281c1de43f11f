using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>Swin T/S/B and Swin V2 T/S/B (torchvision's); they run at any image size of 32 px or more (windows are padded).</summary>
internal static class SwinTransformerArchs
{
    private const string Bicubic = ReleaseTransforms.Bicubic;

    public static readonly ArchDefinition T = Define("swin_t", SwinConfig.T, V1("swin_t-704ceda3.pth", 81.474, 232, 224, Bicubic));
    public static readonly ArchDefinition S = Define("swin_s", SwinConfig.S, V1("swin_s-5e29d889.pth", 83.196, 246, 224, Bicubic));
    public static readonly ArchDefinition B = Define("swin_b", SwinConfig.B, V1("swin_b-68c6b09e.pth", 83.582, 238, 224, Bicubic));
    public static readonly ArchDefinition V2T = Define("swin_v2_t", SwinConfig.V2T, V1("swin_v2_t-b137f0e2.pth", 82.072, 260, 256, Bicubic));
    public static readonly ArchDefinition V2S = Define("swin_v2_s", SwinConfig.V2S, V1("swin_v2_s-637d8ceb.pth", 83.712, 260, 256, Bicubic));
    public static readonly ArchDefinition V2B = Define("swin_v2_b", SwinConfig.V2B, V1("swin_v2_b-781e5279.pth", 84.112, 272, 256, Bicubic));

    /// <summary>Blocks: the children of <c>features</c> (patch embedding, four stages, three patch mergings).</summary>
    private static ArchDefinition Define(string name, SwinConfig config, ReleaseWeights release) =>
        new(name, release.Transforms!.Crop, Normalization.ImageNet, (n, _) => new SwinTransformer(config, n), "head", release, MinImageSize: 32)
        {
            BlockCount = 8,
            DropPath = config.DropPath,
        };
}
