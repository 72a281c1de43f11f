using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>ConvNeXt Tiny, Small, Base and Large (torchvision's), with torchvision's stochastic depth rates.</summary>
internal static class ConvNeXtArchs
{
    public static readonly ArchDefinition Tiny = Define("convnext_tiny", [96, 192, 384, 768], [3, 3, 9, 3], 0.1,
        V1("convnext_tiny-983f1562.pth", 82.520, resize: 236));
    public static readonly ArchDefinition Small = Define("convnext_small", [96, 192, 384, 768], [3, 3, 27, 3], 0.4,
        V1("convnext_small-0c510722.pth", 83.616, resize: 230));
    public static readonly ArchDefinition Base = Define("convnext_base", [128, 256, 512, 1024], [3, 3, 27, 3], 0.5,
        V1("convnext_base-6075fbad.pth", 84.062, resize: 232));
    public static readonly ArchDefinition Large = Define("convnext_large", [192, 384, 768, 1536], [3, 3, 27, 3], 0.5,
        V1("convnext_large-ea097f82.pth", 84.414, resize: 232));

    /// <summary>Blocks: the children of <c>features</c> (stem, four stages, three downsampling layers).</summary>
    private static ArchDefinition Define(string name, long[] channels, int[] depths, double dropPath, ReleaseWeights release) =>
        new(name, 224, Normalization.ImageNet, (n, _) => new ConvNeXt(channels, depths, dropPath, n), "classifier.2", release, MinImageSize: 32)
        {
            BlockCount = 8,
            DropPath = dropPath,
        };
}
