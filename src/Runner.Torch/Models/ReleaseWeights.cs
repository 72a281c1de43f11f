namespace Runner.Torch.Models;

/// <summary>
/// A released weight file for <c>runner weights fetch</c>: where it lives, how its download is verified, the tag its
/// publisher gives it (torchvision's <c>IMAGENET1K_V1</c>, <c>IMAGENET1K_V2</c>, <c>IMAGENET1K_SWAG_E2E_V1</c>…), the
/// evaluation transforms it was scored with and the ImageNet-1k top-1 accuracy the publisher reports.
/// </summary>
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

    /// <summary>The publisher's name for these weights; <c>weights: TAG</c> in an experiment names them.</summary>
    public string Tag { get; init; } = "IMAGENET1K_V1";

    /// <summary>ImageNet-1k top-1 (%) as published; null where the publisher gives none.</summary>
    public double? Top1 { get; init; }

    /// <summary>The evaluation transforms behind <see cref="Top1"/>; null where the publisher states none.</summary>
    public ReleaseTransforms? Transforms { get; init; }
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
