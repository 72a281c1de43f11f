using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// Input normalisation: <c>(pixel / 255 · Scale − Mean[c]) / Std[c]</c> per channel, channels in RGB order
/// unless <see cref="Bgr"/>. Mean and Std are given in the model's own channel order.
/// </summary>
public sealed record Normalization(string Name, float[] Mean, float[] Std, bool Bgr = false, float Scale = 1f)
{
    public static readonly Normalization ImageNet = new("imagenet", [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
    public static readonly Normalization Inception = new("inception", [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>Writes one image (RGB bytes, HWC) as normalised CHW floats into <paramref name="chw"/>.</summary>
    public void ToChw(ReadOnlySpan<byte> rgb, Span<float> chw)
    {
        var plane = chw.Length / 3;
        for (var c = 0; c < 3; c++)
        {
            var source = Bgr ? 2 - c : c;
            var scale = Scale / (255f * Std[c]);
            var shift = Mean[c] / Std[c];
            var channel = chw.Slice(c * plane, plane);
            for (var p = 0; p < plane; p++) channel[p] = rgb[p * 3 + source] * scale - shift;
        }
    }
}

/// <summary>How a release file's download is verified.</summary>
public enum ChecksumRule
{
    /// <summary>Against a full SHA-256 that a public source states.</summary>
    Pinned,

    /// <summary>torch.hub's convention: the file name ends in <c>-HEX.ext</c>, HEX being the start of its SHA-256.</summary>
    HubSuffix,

    /// <summary>No published checksum: the download's SHA-256 is only recorded (and shown).</summary>
    Unverified,
}

/// <summary>A released weight file for <c>runner weights fetch</c>: where it lives and how its download is verified.</summary>
public sealed partial record ReleaseWeights
{
    private ReleaseWeights(string url, ChecksumRule rule, string? sha256)
    {
        Url = url;
        Rule = rule;
        Sha256 = sha256;
        if (rule == ChecksumRule.HubSuffix && HubSuffixOf(FileName) is null)
            throw new ArgumentException($"{FileName} has no torch.hub hash suffix", nameof(url));
        if (rule == ChecksumRule.Pinned && (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower)))
            throw new ArgumentException($"{FileName}: a pinned SHA-256 is 64 lower-case hex digits", nameof(sha256));
    }

    public static ReleaseWeights Pinned(string url, string sha256) => new(url, ChecksumRule.Pinned, sha256);
    public static ReleaseWeights HubSuffix(string url) => new(url, ChecksumRule.HubSuffix, null);
    public static ReleaseWeights Unverified(string url) => new(url, ChecksumRule.Unverified, null);

    public string Url { get; }
    public ChecksumRule Rule { get; }

    /// <summary>The full SHA-256 when <see cref="Rule"/> is <see cref="ChecksumRule.Pinned"/>.</summary>
    public string? Sha256 { get; }

    public string FileName => Path.GetFileName(new Uri(Url).AbsolutePath);

    /// <summary>What a download's SHA-256 must equal or start with; null when the release has no published checksum.</summary>
    public string? ExpectedSha256 => Rule switch
    {
        ChecksumRule.Pinned => Sha256,
        ChecksumRule.HubSuffix => HubSuffixOf(FileName),
        _ => null,
    };

    /// <summary>The hex digits after the last '-' of a file name without its extension (torch.hub's <c>-([a-f0-9]*)\.</c>), if 8 or more.</summary>
    public static string? HubSuffixOf(string fileName) => HubSuffixPattern().Match(fileName) is { Success: true } m ? m.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"-([0-9a-f]{8,64})\.[A-Za-z0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex HubSuffixPattern();
}

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
    string? BundledWeights = null,
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

    /// <summary>The weight file shipped with the application (under its folder) that <c>weights: imagenet</c> resolves to, if any.</summary>
    public string? BundledWeightsPath => BundledWeights is null ? null : Path.Combine(AppContext.BaseDirectory, BundledWeights);

    public bool IsHeadKey(string key) =>
        key.StartsWith(HeadPrefix + ".", StringComparison.Ordinal) ||
        (AuxiliaryHeadPrefix is not null && key.StartsWith(AuxiliaryHeadPrefix + ".", StringComparison.Ordinal));
}

/// <summary>A model with an auxiliary classifier (InceptionV3): its training loss adds <see cref="AuxiliaryLossWeight"/> × the auxiliary loss.</summary>
public interface IAuxiliaryClassifier
{
    const double AuxiliaryLossWeight = 0.4;

    /// <summary>Main and auxiliary logits; no auxiliary logits where the input is too small for that branch.</summary>
    (Tensor Main, Tensor? Auxiliary) ForwardWithAuxiliary(Tensor input);
}
