using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>DenseNet 121/161/169/201 (torchvision's; releases with the older <c>norm.1</c> key names, renamed on import).</summary>
internal static class DenseNetArchs
{
    public static readonly ArchDefinition DenseNet121 = Define("densenet121", 32, [6, 12, 24, 16], 64, V1("densenet121-a639ec97.pth", 74.434));
    public static readonly ArchDefinition DenseNet161 = Define("densenet161", 48, [6, 12, 36, 24], 96, V1("densenet161-8d451a50.pth", 77.138));
    public static readonly ArchDefinition DenseNet169 = Define("densenet169", 32, [6, 12, 32, 32], 64, V1("densenet169-b2777c0a.pth", 75.600));
    public static readonly ArchDefinition DenseNet201 = Define("densenet201", 32, [6, 12, 48, 32], 64, V1("densenet201-c1103571.pth", 76.896));

    /// <summary>Blocks: the children of <c>features</c> with parameters (conv0, norm0, four dense blocks, three transitions, norm5).</summary>
    private static ArchDefinition Define(string name, int growthRate, int[] blockLayers, int initFeatures, ReleaseWeights release) =>
        new(name, 224, Normalization.ImageNet, (n, _) => new DenseNet(growthRate, blockLayers, initFeatures, n), "classifier", release,
            MinImageSize: 29)
        {
            BlockCount = 10,
            LegacyKey = DenseNet.LegacyKey,
        };
}
