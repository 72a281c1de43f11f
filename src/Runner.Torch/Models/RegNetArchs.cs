using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>
/// RegNetY and RegNetX 400MF … 32GF (torchvision's). V2 (its 2021 recipe) is the default tag; Y 16GF and 32GF also have the
/// SWAG weights (pre-trained on Instagram hashtags; end-to-end fine-tuned at 384 px, or a linear classifier at 224 px).
/// </summary>
internal static class RegNetArchs
{
    public static readonly ArchDefinition Y400MF = Define("regnet_y_400mf", RegNetConfig.Y400MF,
        V2("regnet_y_400mf-e6988f5f.pth", 75.804), V1("regnet_y_400mf-c65dace8.pth", 74.046));
    public static readonly ArchDefinition Y800MF = Define("regnet_y_800mf", RegNetConfig.Y800MF,
        V2("regnet_y_800mf-58fc7688.pth", 78.828), V1("regnet_y_800mf-1b27b58c.pth", 76.420));
    public static readonly ArchDefinition Y1_6GF = Define("regnet_y_1_6gf", RegNetConfig.Y1_6GF,
        V2("regnet_y_1_6gf-0d7bc02a.pth", 80.876), V1("regnet_y_1_6gf-b11a554e.pth", 77.950));
    public static readonly ArchDefinition Y3_2GF = Define("regnet_y_3_2gf", RegNetConfig.Y3_2GF,
        V2("regnet_y_3_2gf-9180c971.pth", 81.982), V1("regnet_y_3_2gf-b5a9779c.pth", 78.948));
    public static readonly ArchDefinition Y8GF = Define("regnet_y_8gf", RegNetConfig.Y8GF,
        V2("regnet_y_8gf-dc2b1b54.pth", 82.828), V1("regnet_y_8gf-d0d0e4a8.pth", 80.032));
    public static readonly ArchDefinition Y16GF = Define("regnet_y_16gf", RegNetConfig.Y16GF,
        V2("regnet_y_16gf-3e4a00f9.pth", 82.886), V1("regnet_y_16gf-9e6ed7dd.pth", 80.424),
        SwagE2E("regnet_y_16gf_swag-43afe44d.pth", 86.012), SwagLinear("regnet_y_16gf_lc_swag-f3ec0043.pth", 83.976));
    public static readonly ArchDefinition Y32GF = Define("regnet_y_32gf", RegNetConfig.Y32GF,
        V2("regnet_y_32gf-8db6d4b5.pth", 83.368), V1("regnet_y_32gf-4dee3f7a.pth", 80.878),
        SwagE2E("regnet_y_32gf_swag-04fdfa75.pth", 86.838), SwagLinear("regnet_y_32gf_lc_swag-e1583746.pth", 84.622));

    public static readonly ArchDefinition X400MF = Define("regnet_x_400mf", RegNetConfig.X400MF,
        V2("regnet_x_400mf-62229a5f.pth", 74.864), V1("regnet_x_400mf-adf1edd5.pth", 72.834));
    public static readonly ArchDefinition X800MF = Define("regnet_x_800mf", RegNetConfig.X800MF,
        V2("regnet_x_800mf-94a99ebd.pth", 77.522), V1("regnet_x_800mf-ad17e45c.pth", 75.212));
    public static readonly ArchDefinition X1_6GF = Define("regnet_x_1_6gf", RegNetConfig.X1_6GF,
        V2("regnet_x_1_6gf-a12f2b72.pth", 79.668), V1("regnet_x_1_6gf-e3633e7f.pth", 77.040));
    public static readonly ArchDefinition X3_2GF = Define("regnet_x_3_2gf", RegNetConfig.X3_2GF,
        V2("regnet_x_3_2gf-7071aa85.pth", 81.196), V1("regnet_x_3_2gf-f342aeae.pth", 78.364));
    public static readonly ArchDefinition X8GF = Define("regnet_x_8gf", RegNetConfig.X8GF,
        V2("regnet_x_8gf-2b70d774.pth", 81.682), V1("regnet_x_8gf-03ceed89.pth", 79.344));
    public static readonly ArchDefinition X16GF = Define("regnet_x_16gf", RegNetConfig.X16GF,
        V2("regnet_x_16gf-ba3796d7.pth", 82.716), V1("regnet_x_16gf-2007eb11.pth", 80.058));
    public static readonly ArchDefinition X32GF = Define("regnet_x_32gf", RegNetConfig.X32GF,
        V2("regnet_x_32gf-6eb8fdc6.pth", 83.014), V1("regnet_x_32gf-9d47f8d0.pth", 80.622));

    private static ReleaseWeights SwagE2E(string file, double top1) =>
        Of("IMAGENET1K_SWAG_E2E_V1", file, top1, 384, 384, ReleaseTransforms.Bicubic);

    private static ReleaseWeights SwagLinear(string file, double top1) =>
        Of("IMAGENET1K_SWAG_LINEAR_V1", file, top1, 224, 224, ReleaseTransforms.Bicubic);

    /// <summary>Blocks: <c>stem</c> and the four stages of <c>trunk_output</c>.</summary>
    private static ArchDefinition Define(string name, RegNetConfig config, ReleaseWeights release, params ReleaseWeights[] others) =>
        new(name, 224, Normalization.ImageNet, (n, _) => new RegNet(config, n), "fc", release,
            BlockPattern: @"^(stem|trunk_output\.block\d)$")
        {
            BlockCount = 5,
            OtherReleases = others,
        };
}
