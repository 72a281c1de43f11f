using Runner.Torch.Models;

namespace Runner.Torch.Weights;

/// <summary>
/// Where <c>weights fetch</c> downloads an architecture's weights from and what the download's SHA-256 must equal or
/// start with (<see cref="ExpectedSha256"/> null: no published checksum, the digest is only recorded).
/// </summary>
public sealed record FetchSource(Uri Url, string? ExpectedSha256)
{
    /// <summary>Environment variable holding a default for <c>--mirror</c>.</summary>
    public const string MirrorVariable = "RUNNER_WEIGHTS_MIRROR";

    /// <summary>
    /// <paramref name="url"/> if given (a user's own file; verified with <paramref name="sha256"/>, else with the release's
    /// checksum when it has the release's file name); else the release's file name under <paramref name="mirror"/>; else the
    /// release itself: the one published as <paramref name="tag"/>, or without a tag the default one (what <c>imagenet</c>
    /// means). <paramref name="sha256"/> (a prefix of 8 or more hex digits, or the whole digest) overrides the release's
    /// checksum. Throws <see cref="WeightsException"/> for bad input.
    /// </summary>
    public static FetchSource For(ArchDefinition arch, Uri? url = null, string? sha256 = null, Uri? mirror = null, string? tag = null)
    {
        if (sha256 is not null && (sha256.Length is < 8 or > 64 || !sha256.All(Uri.IsHexDigit)))
            throw new WeightsException($"invalid SHA-256 '{sha256}': give 8 to 64 hex digits (a prefix of the digest, or all of it)");
        var release = tag is null ? arch.Release : arch.ReleaseTagged(tag)
            ?? throw new WeightsException($"{arch.Name} has no release tagged '{tag}'; its tags: " +
                (arch.Releases.Any() ? string.Join(", ", arch.Releases.Select(r => r.Tag)) : "none"));
        Uri source;
        string? expected;
        if (url is not null)
        {
            source = url;
            expected = sha256 ?? (release is not null && Path.GetFileName(url.AbsolutePath) == release.FileName ? release.ExpectedSha256 : null);
        }
        else
        {
            if (release is null)
                throw new WeightsException(
                    $"{arch.Name} has no released weights runner knows of; import a file with `runner weights import FILE --arch {arch.Name}` " +
                    "(or give `--url URL [--sha256 HEX]`)");
            source = mirror is null ? new Uri(release.Url) : new Uri(mirror.ToString().TrimEnd('/') + "/" + release.FileName);
            expected = sha256 ?? release.ExpectedSha256;
        }
        if (source.Scheme != Uri.UriSchemeHttp && source.Scheme != Uri.UriSchemeHttps)
            throw new WeightsException($"{source}: only http and https URLs can be fetched (import a local file with `runner weights import`)");
        return new FetchSource(source, expected?.ToLowerInvariant());
    }
}
