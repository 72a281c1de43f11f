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
    ]);

    private readonly Dictionary<string, ArchDefinition> _archs;

    public ArchRegistry(IEnumerable<ArchDefinition> archs) => _archs = archs.ToDictionary(a => a.Name);

    public IReadOnlyCollection<string> Names => _archs.Keys;
    public IEnumerable<ArchDefinition> All => _archs.Values;
    public int DefaultImageSize(string arch) => this[arch].DefaultImageSize;
    public int MinImageSize(string arch) => this[arch].MinImageSize;

    /// <summary>Declared by the architecture (<see cref="ArchDefinition.BlockCount"/>): nothing is built.</summary>
    public int? TrainableBlocks(string arch) => this[arch].BlockCount;

    public ArchDefinition this[string name] =>
        _archs.TryGetValue(name, out var arch) ? arch : throw new KeyNotFoundException($"unknown architecture '{name}'");
}
