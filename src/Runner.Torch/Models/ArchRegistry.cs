using Runner.Core.Config;

namespace Runner.Torch.Models;

/// <summary>Every architecture runner can build, by name. Adding one: a definition in its family's file, a line here.</summary>
public sealed class ArchRegistry : IArchCatalog
{
    public static readonly ArchRegistry Default = new(
    [
        TorchVisionArchs.ResNet18,
        TorchVisionArchs.MobileNetV2,
    ]);

    private readonly Dictionary<string, ArchDefinition> _archs;

    public ArchRegistry(IEnumerable<ArchDefinition> archs) => _archs = archs.ToDictionary(a => a.Name);

    public IReadOnlyCollection<string> Names => _archs.Keys;
    public int DefaultImageSize(string arch) => this[arch].DefaultImageSize;

    public ArchDefinition this[string name] =>
        _archs.TryGetValue(name, out var arch) ? arch : throw new KeyNotFoundException($"unknown architecture '{name}'");
}
