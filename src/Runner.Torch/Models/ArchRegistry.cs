using Runner.Core.Config;

namespace Runner.Torch.Models;

/// <summary>Every architecture runner can build, by name. Adding one: a definition in its family's file, a line here.</summary>
public sealed class ArchRegistry : IArchCatalog
{
    public static readonly ArchRegistry Default = new(
    [
        ResNetArchs.ResNet18,
        ResNetArchs.ResNet34,
        ResNetArchs.ResNet50,
        ResNetArchs.ResNet101,
        ResNetArchs.ResNet152,
        ResNetArchs.ResNeXt50_32x4d,
        ResNetArchs.ResNeXt101_32x8d,
        ResNetArchs.ResNeXt101_64x4d,
        ResNetArchs.WideResNet50_2,
        ResNetArchs.WideResNet101_2,
        MlNetResNetArchs.MlNetResNet18,
        MobileNetArchs.MobileNetV2,
        MobileNetArchs.MobileNetV3Large,
        MobileNetArchs.MobileNetV3Small,
        InceptionArchs.InceptionV3,
        XceptionArchs.Xception,
        EfficientNetArchs.B0,
        EfficientNetArchs.B1,
        EfficientNetArchs.B2,
        EfficientNetArchs.B3,
        EfficientNetArchs.B4,
        EfficientNetArchs.B5,
        EfficientNetArchs.B6,
        EfficientNetArchs.B7,
        EfficientNetArchs.V2S,
        EfficientNetArchs.V2M,
        EfficientNetArchs.V2L,
        DenseNetArchs.DenseNet121,
        DenseNetArchs.DenseNet161,
        DenseNetArchs.DenseNet169,
        DenseNetArchs.DenseNet201,
        ShuffleNetV2Archs.X0_5,
        ShuffleNetV2Archs.X1_0,
        ShuffleNetV2Archs.X1_5,
        ShuffleNetV2Archs.X2_0,
        MnasNetArchs.MnasNet0_5,
        MnasNetArchs.MnasNet0_75,
        MnasNetArchs.MnasNet1_0,
        MnasNetArchs.MnasNet1_3,
        RegNetArchs.Y400MF,
        RegNetArchs.Y800MF,
        RegNetArchs.Y1_6GF,
        RegNetArchs.Y3_2GF,
        RegNetArchs.Y8GF,
        RegNetArchs.Y16GF,
        RegNetArchs.Y32GF,
        RegNetArchs.X400MF,
        RegNetArchs.X800MF,
        RegNetArchs.X1_6GF,
        RegNetArchs.X3_2GF,
        RegNetArchs.X8GF,
        RegNetArchs.X16GF,
        RegNetArchs.X32GF,
        ConvNeXtArchs.Tiny,
        ConvNeXtArchs.Small,
        ConvNeXtArchs.Base,
        ConvNeXtArchs.Large,
        VisionTransformerArchs.B16,
        VisionTransformerArchs.B32,
        VisionTransformerArchs.L16,
        SwinTransformerArchs.T,
        SwinTransformerArchs.S,
        SwinTransformerArchs.B,
        SwinTransformerArchs.V2T,
        SwinTransformerArchs.V2S,
        SwinTransformerArchs.V2B,
        MaxViTArchs.T,
    ]);

    private readonly Dictionary<string, ArchDefinition> _archs;

    public ArchRegistry(IEnumerable<ArchDefinition> archs) => _archs = archs.ToDictionary(a => a.Name);

    public IReadOnlyCollection<string> Names => _archs.Keys;
    public IEnumerable<ArchDefinition> All => _archs.Values;
    public int DefaultImageSize(string arch) => this[arch].DefaultImageSize;
    public int MinImageSize(string arch) => this[arch].MinImageSize;

    /// <summary>
    /// The crop of the release <paramref name="weights"/> names (a tag, or <c>imagenet</c> for the default one); else the
    /// architecture's default.
    /// </summary>
    public int DefaultImageSize(string arch, string weights) =>
        (weights == "imagenet" ? this[arch].Release : this[arch].ReleaseTagged(weights))?.Transforms?.Crop ?? this[arch].DefaultImageSize;

    public string? ImageSizeProblem(string arch, int size) => this[arch].ImageSizeProblem(size);

    /// <summary>Declared by the architecture (<see cref="ArchDefinition.BlockCount"/>): nothing is built.</summary>
    public int? TrainableBlocks(string arch) => this[arch].BlockCount;

    public double? DefaultDropPath(string arch) => this[arch].DropPath;

    public ArchDefinition this[string name] =>
        _archs.TryGetValue(name, out var arch) ? arch : throw new KeyNotFoundException($"unknown architecture '{name}'");
}
