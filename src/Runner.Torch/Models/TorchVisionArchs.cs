using static TorchSharp.torchvision.models;

namespace Runner.Torch.Models;

/// <summary>Architectures TorchVision .NET already provides, built with torchvision's parameter names.</summary>
public static class TorchVisionArchs
{
    public static readonly ArchDefinition ResNet18 = new("resnet18", 224, Normalization.ImageNet, n => resnet18(num_classes: n));
    public static readonly ArchDefinition MobileNetV2 = new("mobilenet_v2", 224, Normalization.ImageNet, n => mobilenet_v2(num_classes: n));
}
