using static TorchSharp.torchvision.models;

namespace Runner.Torch.Models;

/// <summary>torchvision's ResNets, as TorchVision .NET builds them (same parameter names).</summary>
internal static class ResNetArchs
{
    private const string Models = "https://download.pytorch.org/models/";

    public static readonly ArchDefinition ResNet18 = new("resnet18", 224, Normalization.ImageNet, n => resnet18(num_classes: n), "fc",
        ReleaseWeights.HubSuffix(Models + "resnet18-f37072fd.pth")) { BlockCount = 4 };
    public static readonly ArchDefinition ResNet34 = new("resnet34", 224, Normalization.ImageNet, n => resnet34(num_classes: n), "fc",
        ReleaseWeights.HubSuffix(Models + "resnet34-b627a593.pth")) { BlockCount = 4 };
    public static readonly ArchDefinition ResNet50 = new("resnet50", 224, Normalization.ImageNet, n => resnet50(num_classes: n), "fc",
        ReleaseWeights.HubSuffix(Models + "resnet50-0676ba61.pth")) { BlockCount = 4 };
}
