using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>MNASNet 0.5, 0.75, 1.0 and 1.3 (torchvision's; every release has version 2's width-scaled stem).</summary>
internal static class MnasNetArchs
{
    public static readonly ArchDefinition MnasNet0_5 = Define("mnasnet0_5", 0.5, V1("mnasnet0.5_top1_67.823-3ffadce67e.pth", 67.734));
    public static readonly ArchDefinition MnasNet0_75 = Define("mnasnet0_75", 0.75, V1("mnasnet0_75-7090bc5f.pth", 71.180, resize: 232));
    public static readonly ArchDefinition MnasNet1_0 = Define("mnasnet1_0", 1.0, V1("mnasnet1.0_top1_73.512-f206786ef8.pth", 73.456));
    public static readonly ArchDefinition MnasNet1_3 = Define("mnasnet1_3", 1.3, V1("mnasnet1_3-a4c69d6f.pth", 76.506, resize: 232));

    /// <summary>Blocks: the children of <c>layers</c> with parameters (stem convolutions and norms, six stacks, head conv and norm).</summary>
    private static ArchDefinition Define(string name, double alpha, ReleaseWeights release) =>
        new(name, 224, Normalization.ImageNet, (n, _) => new MnasNet(alpha, n), "classifier.1", release, BlockPattern: @"^layers\.\d+$")
        {
            BlockCount = 14,
        };
}
