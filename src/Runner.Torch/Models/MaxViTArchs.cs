using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>MaxViT-T (torchvision's). Its stages need maps that divide by 7: image sizes 224, 448, 672, … (or up to 3 px less).</summary>
internal static class MaxViTArchs
{
    public static readonly ArchDefinition T = new("maxvit_t", 224, Normalization.ImageNet,
        (n, _) => new MaxViT(64, [64, 128, 256, 512], [2, 2, 5, 2], 32, 0.2, n), "classifier.5",
        V1("maxvit_t-bc5ab103.pth", 83.700, 224, 224, ReleaseTransforms.Bicubic), MinImageSize: 221, BlockPattern: @"^(stem|blocks\.\d)$")
    {
        BlockCount = 5,
        DropPath = 0.2,
        ImageSizes = new ImageSizeRule("whose feature maps divide by 7 at every stage (224, 448, 672, …)", size => MaxViT.AcceptsImageSize(size)),
    };
}
