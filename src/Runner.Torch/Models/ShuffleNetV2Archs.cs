using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>ShuffleNetV2 ×0.5, ×1.0, ×1.5 and ×2.0 (torchvision's).</summary>
internal static class ShuffleNetV2Archs
{
    public static readonly ArchDefinition X0_5 = Define("shufflenet_v2_x0_5", [24, 48, 96, 192, 1024],
        V1("shufflenetv2_x0.5-f707e7126e.pth", 60.552));
    public static readonly ArchDefinition X1_0 = Define("shufflenet_v2_x1_0", [24, 116, 232, 464, 1024],
        V1("shufflenetv2_x1-5666bf0f80.pth", 69.362));
    public static readonly ArchDefinition X1_5 = Define("shufflenet_v2_x1_5", [24, 176, 352, 704, 1024],
        V1("shufflenetv2_x1_5-3c479a10.pth", 72.996, resize: 232));
    public static readonly ArchDefinition X2_0 = Define("shufflenet_v2_x2_0", [24, 244, 488, 976, 2048],
        V1("shufflenetv2_x2_0-8be3c8ee.pth", 76.230, resize: 232));

    /// <summary>Blocks: conv1, stage2–4, conv5.</summary>
    private static ArchDefinition Define(string name, int[] channels, ReleaseWeights release) =>
        new(name, 224, Normalization.ImageNet, (n, _) => new ShuffleNetV2(channels, n), "fc", release) { BlockCount = 5 };
}
