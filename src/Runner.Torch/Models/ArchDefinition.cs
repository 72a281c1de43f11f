using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// A backbone architecture: how to build it with a fresh head of <c>outputs</c> units, how to feed it, and which
/// state_dict keys belong to the head (skipped when weights trained for another class count are loaded).
/// </summary>
public sealed record ArchDefinition(
    string Name,
    int DefaultImageSize,
    Normalization Normalization,
    Func<int, nn.Module<Tensor, Tensor>> Create,
    string HeadPrefix,
    ReleaseWeights? Release = null,
    string? AuxiliaryHeadPrefix = null,
    BundledWeights? Bundled = null,
    int MinImageSize = 8,
    string? BlockPattern = null)
{
    private static readonly System.Text.RegularExpressions.Regex NamedBlocks = new(@"^(layer\d+|Mixed_\w+|block\d+)$");

    /// <summary>
    /// How many entries <see cref="Blocks"/> lists for a built model, declared so that validating <c>trainable: last-N</c>
    /// needs no model (nor libtorch); a registry-wide test checks it against the built model.
    /// </summary>
    public required int BlockCount { get; init; }

    /// <summary>
    /// The backbone's top-level blocks in order, by module name, for <c>trainable: last-N</c>: the modules whose name
    /// matches <see cref="BlockPattern"/> if set; else the children of <c>features</c> (MobileNet, EfficientNet);
    /// else the top-level <c>layerN</c> (ResNet), <c>Mixed_*</c> (Inception) or <c>blockN</c> (Xception) children;
    /// else the top-level children with parameters, the head excluded.
    /// </summary>
    public IReadOnlyList<string> Blocks(nn.Module model)
    {
        if (BlockPattern is not null)
        {
            var pattern = new System.Text.RegularExpressions.Regex(BlockPattern);
            return model.named_modules().Select(m => m.name).Where(n => n.Length > 0 && pattern.IsMatch(n)).ToList();
        }
        var children = model.named_children().ToList();
        if (children.FirstOrDefault(c => c.name == "features").module is { } features)
            return features.named_children().Select(c => $"features.{c.name}").ToList();
        var named = children.Where(c => NamedBlocks.IsMatch(c.name)).Select(c => c.name).ToList();
        if (named.Count > 0) return named;
        return children
            .Where(c => c.module.parameters().Any() && !IsHeadKey(c.name + ".x") && !HeadPrefix.StartsWith(c.name + ".", StringComparison.Ordinal))
            .Select(c => c.name).ToList();
    }

    public bool IsHeadKey(string key) =>
        key.StartsWith(HeadPrefix + ".", StringComparison.Ordinal) ||
        (AuxiliaryHeadPrefix is not null && key.StartsWith(AuxiliaryHeadPrefix + ".", StringComparison.Ordinal));
}
