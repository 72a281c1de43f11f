using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>
/// ViT B/16, B/32 and L/16 (torchvision's; H/14, 632 M parameters, is left out: its parity fixture alone would be 2.5 GB).
/// Built for the backbone's image size (a multiple of the patch): weights made for another size get their position
/// embedding interpolated once on load, as torchvision's <c>interpolate_embeddings</c>.
/// The SWAG end-to-end tags were fine-tuned at 384 (B/16) and 512 px (L/16): naming one makes that the default image
/// size. The releases keep the MLP's older key names (<c>mlp.linear_1</c>), renamed on import as torchvision does.
/// </summary>
internal static class VisionTransformerArchs
{
    public static readonly ArchDefinition B16 = Define("vit_b_16", 16, 12, 12, 768, 3072,
        V1("vit_b_16-c867db91.pth", 81.072),
        SwagE2E("vit_b_16_swag-9ac1b537.pth", 85.304, 384), SwagLinear("vit_b_16_lc_swag-4e70ced5.pth", 81.886));
    public static readonly ArchDefinition B32 = Define("vit_b_32", 32, 12, 12, 768, 3072,
        V1("vit_b_32-d86f8d99.pth", 75.912));
    public static readonly ArchDefinition L16 = Define("vit_l_16", 16, 24, 16, 1024, 4096,
        V1("vit_l_16-852ce7e3.pth", 79.662, resize: 242),
        SwagE2E("vit_l_16_swag-4f3808c9.pth", 88.064, 512), SwagLinear("vit_l_16_lc_swag-4d563306.pth", 85.146));

    private static ReleaseWeights SwagE2E(string file, double top1, int size) =>
        Of("IMAGENET1K_SWAG_E2E_V1", file, top1, size, size, ReleaseTransforms.Bicubic);

    private static ReleaseWeights SwagLinear(string file, double top1) =>
        Of("IMAGENET1K_SWAG_LINEAR_V1", file, top1, 224, 224, ReleaseTransforms.Bicubic);

    /// <summary>Blocks: the encoder layers (last-N also trains the final LayerNorm and the head).</summary>
    private static ArchDefinition Define(string name, int patch, int layers, int heads, long hidden, long mlp,
        ReleaseWeights release, params ReleaseWeights[] others) =>
        new(name, release.Transforms!.Crop, Normalization.ImageNet,
            (n, size) => new VisionTransformer(size, patch, layers, heads, hidden, mlp, n), "heads.head", release,
            MinImageSize: patch, BlockPattern: @"^encoder\.layers\.encoder_layer_\d+$")
        {
            BlockCount = layers,
            OtherReleases = others,
            ImageSizes = ImageSizeRule.MultipleOf(patch),
            SizedWeights = new VisionTransformer.SizedWeights(patch),
            LegacyKey = LegacyMlpKey,
        };

    /// <summary>
    /// torchvision's MLPBlock version-1 names (before its MLP became <c>ops.MLP</c>): <c>mlp.linear_1</c> → <c>mlp.0</c>,
    /// <c>linear_2</c> → <c>3</c>.
    /// </summary>
    private static string LegacyMlpKey(string key) =>
        key.Replace(".mlp.linear_1.", ".mlp.0.", StringComparison.Ordinal).Replace(".mlp.linear_2.", ".mlp.3.", StringComparison.Ordinal);
}
