using static TorchSharp.torchvision.models;
using static Runner.Torch.Models.TorchvisionRelease;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's ResNets, ResNeXts and Wide ResNets, as TorchVision .NET builds them (same parameter names). Where
/// torchvision publishes V2 weights (its 2021 training recipe) they are the default, as in torchvision.
/// </summary>
internal static class ResNetArchs
{
    public static readonly ArchDefinition ResNet18 = Define("resnet18", n => resnet18(num_classes: n),
        V1("resnet18-f37072fd.pth", 69.758));
    public static readonly ArchDefinition ResNet34 = Define("resnet34", n => resnet34(num_classes: n),
        V1("resnet34-b627a593.pth", 73.314));
    public static readonly ArchDefinition ResNet50 = Define("resnet50", n => resnet50(num_classes: n),
        V2("resnet50-11ad3fa6.pth", 80.858), V1("resnet50-0676ba61.pth", 76.130));
    public static readonly ArchDefinition ResNet101 = Define("resnet101", n => resnet101(num_classes: n),
        V2("resnet101-cd907fc2.pth", 81.886), V1("resnet101-63fe2227.pth", 77.374));
    public static readonly ArchDefinition ResNet152 = Define("resnet152", n => resnet152(num_classes: n),
        V2("resnet152-f82ba261.pth", 82.284), V1("resnet152-394f9c45.pth", 78.312));

    public static readonly ArchDefinition ResNeXt50_32x4d = Define("resnext50_32x4d", n => resnext50_32x4d(num_classes: n),
        V2("resnext50_32x4d-1a0047aa.pth", 81.198), V1("resnext50_32x4d-7cdf4587.pth", 77.618));
    // TorchVision .NET's resnext101_32x8d and resnext101_64x4d build ResNet-50's [3, 4, 6, 3] stages; torchvision's have
    // ResNet-101's [3, 4, 23, 3], with 32 groups of 8 and 64 groups of 4 channels.
    public static readonly ArchDefinition ResNeXt101_32x8d = Define("resnext101_32x8d",
        n => resnet101(num_classes: n, groups: 32, width_per_group: 8),
        V2("resnext101_32x8d-110c445d.pth", 82.834), V1("resnext101_32x8d-8ba56ff5.pth", 79.312));
    public static readonly ArchDefinition ResNeXt101_64x4d = Define("resnext101_64x4d",
        n => resnet101(num_classes: n, groups: 64, width_per_group: 4),
        V1("resnext101_64x4d-173b62eb.pth", 83.246, resize: 232));

    public static readonly ArchDefinition WideResNet50_2 = Define("wide_resnet50_2", n => wide_resnet50_2(num_classes: n),
        V2("wide_resnet50_2-9ba9bcbe.pth", 81.602), V1("wide_resnet50_2-95faca4d.pth", 78.468));
    public static readonly ArchDefinition WideResNet101_2 = Define("wide_resnet101_2", n => wide_resnet101_2(num_classes: n),
        V2("wide_resnet101_2-d733dc28.pth", 82.510), V1("wide_resnet101_2-32ee1156.pth", 78.848));

    /// <summary>Blocks: <c>layer1</c>…<c>layer4</c>.</summary>
    private static ArchDefinition Define(string name, Func<int, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> build,
        ReleaseWeights release, params ReleaseWeights[] others) =>
        new(name, 224, Normalization.ImageNet, (n, _) => build(n), "fc", release) { BlockCount = 4, OtherReleases = others };
}
