using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// A backbone architecture: how to build it with a fresh head of <c>outputs</c> units for an image size, how to feed it,
/// which state_dict keys belong to the head (skipped when weights trained for another class count are loaded), and the
/// release files <c>weights fetch</c> knows: <see cref="Release"/> is what <c>weights: imagenet</c> means (torchvision's
/// <c>DEFAULT</c>), <see cref="OtherReleases"/> the other published tags.
/// </summary>
public sealed record ArchDefinition(
    string Name,
    int DefaultImageSize,
    Normalization Normalization,
    Func<int, int, nn.Module<Tensor, Tensor>> Build,
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

    /// <summary>The published tags besides <see cref="Release"/> (<c>IMAGENET1K_V1</c> where V2 is the default, SWAG…).</summary>
    public IReadOnlyList<ReleaseWeights> OtherReleases { get; init; } = [];

    /// <summary>Image sizes the architecture accepts beyond <see cref="MinImageSize"/> (ViT: multiples of its patch); null: any.</summary>
    public ImageSizeRule? ImageSizes { get; init; }

    /// <summary>Weights whose shapes follow the image size (ViT's position embedding); null when none do.</summary>
    public ISizedWeights? SizedWeights { get; init; }

    /// <summary>
    /// Renames a key of an older release file to today's name (torchvision renames them on load: DenseNet's <c>norm.1</c> →
    /// <c>norm1</c>, ViT's <c>mlp.linear_1</c> → <c>mlp.0</c>); null when every release uses today's names.
    /// </summary>
    public Func<string, string>? LegacyKey { get; init; }

    /// <summary>
    /// The stochastic depth rate the model is built with (torchvision's default for the architecture), which
    /// <c>drop_path</c> replaces; null for architectures without stochastic depth.
    /// </summary>
    public double? DropPath { get; init; }

    /// <summary>Every release, <see cref="Release"/> first.</summary>
    public IEnumerable<ReleaseWeights> Releases => Release is null ? OtherReleases : OtherReleases.Prepend(Release);

    /// <summary>The release published under <paramref name="tag"/> (<c>IMAGENET1K_V2</c>), if any.</summary>
    public ReleaseWeights? ReleaseTagged(string tag) => Releases.FirstOrDefault(r => r.Tag == tag);

    /// <summary>
    /// The model with a fresh head of <paramref name="outputs"/> units, for <paramref name="imageSize"/> (default: <see cref="DefaultImageSize"/>).
    /// </summary>
    public nn.Module<Tensor, Tensor> Create(int outputs, int? imageSize = null) => Build(outputs, imageSize ?? DefaultImageSize);

    /// <summary>
    /// The backbone's top-level blocks in order, by module name, for <c>trainable: last-N</c>: the modules whose name
    /// matches <see cref="BlockPattern"/> if set; else the children of <c>features</c> (MobileNet, EfficientNet, ConvNeXt,
    /// Swin, DenseNet); else the top-level <c>layerN</c> (ResNet), <c>Mixed_*</c> (Inception) or <c>blockN</c> (Xception)
    /// children; else the top-level children, the head excluded. Modules without parameters are never blocks.
    /// </summary>
    public IReadOnlyList<string> Blocks(nn.Module model)
    {
        if (BlockPattern is not null)
        {
            var pattern = new System.Text.RegularExpressions.Regex(BlockPattern);
            return model.named_modules().Where(m => m.name.Length > 0 && pattern.IsMatch(m.name) && HasParameters(m.module))
                .Select(m => m.name).ToList();
        }
        var children = model.named_children().ToList();
        if (children.FirstOrDefault(c => c.name == "features").module is { } features)
            return features.named_children().Where(c => HasParameters(c.module)).Select(c => $"features.{c.name}").ToList();
        var named = children.Where(c => NamedBlocks.IsMatch(c.name) && HasParameters(c.module)).Select(c => c.name).ToList();
        if (named.Count > 0) return named;
        return children
            .Where(c => HasParameters(c.module) && !IsHeadKey(c.name + ".x") && !HeadPrefix.StartsWith(c.name + ".", StringComparison.Ordinal))
            .Select(c => c.name).ToList();
    }

    public bool IsHeadKey(string key) =>
        key.StartsWith(HeadPrefix + ".", StringComparison.Ordinal) ||
        (AuxiliaryHeadPrefix is not null && key.StartsWith(AuxiliaryHeadPrefix + ".", StringComparison.Ordinal));

    /// <summary>Why <paramref name="size"/> does not suit this architecture, or null when it does.</summary>
    public string? ImageSizeProblem(int size) =>
        size < MinImageSize ? $"{Name} needs image_size ≥ {MinImageSize}, got {size}"
        : ImageSizes is { } rule && !rule.Accepts(size) ? $"{Name} needs an image_size {rule.Description}, got {size} ({rule.Nearest(size)})"
        : null;

    private static bool HasParameters(nn.Module module) => module.parameters().Any();
}
