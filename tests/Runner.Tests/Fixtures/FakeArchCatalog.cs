using Runner.Core.Config;

namespace Runner.Tests.Fixtures;

/// <summary>A catalog of model architectures for config tests (no TorchSharp).</summary>
internal sealed class FakeArchCatalog(IReadOnlyDictionary<string, int>? sizes = null) : IArchCatalog
{
    private readonly IReadOnlyDictionary<string, int> _sizes =
        sizes ?? new Dictionary<string, int> { ["resnet18"] = 224, ["mobilenet_v2"] = 224 };

    public IReadOnlyCollection<string> Names => _sizes.Keys.ToList();
    public int DefaultImageSize(string arch) => _sizes[arch];
}
