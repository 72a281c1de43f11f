using Runner.Torch.Models;

namespace Runner.Torch.Weights;

/// <summary>
/// What a train task's key says about its pretrained weights: a function of the source file's content alone, so the same
/// file imported into any runner home, on any machine, keys the same tasks. The stored copy's own bytes never enter it.
/// <list type="bullet">
/// <item><c>none</c> when training from scratch;</item>
/// <item>the architecture's published checksum when the source is its released or bundled file (the source's SHA-256
/// starts with it): the full SHA-256 where pinned, torch.hub's file-name prefix otherwise. A plan therefore knows it
/// before the file is on the machine, and cached work needs no weights file;</item>
/// <item>otherwise the source file's full SHA-256;</item>
/// <item>the URL of a release that publishes no checksum, for the file fetched from it (<see cref="OfRelease"/>).</item>
/// </list>
/// </summary>
internal static class WeightsIdentity
{
    public const string None = "none";

    /// <summary>The identity of a source file whose SHA-256 is <paramref name="sourceSha256"/>, imported for <paramref name="arch"/>.</summary>
    public static string OfSource(string sourceSha256, ArchDefinition arch)
    {
        var sha = sourceSha256.ToLowerInvariant();
        return Published(arch).FirstOrDefault(p => sha.StartsWith(p, StringComparison.Ordinal)) ?? sha;
    }

    /// <summary>
    /// The identity a name has when the store holds no entry for it: for <c>weights: imagenet</c> the bundled file's, else
    /// the default release's; for a release tag (<c>IMAGENET1K_V1</c>) that release's (<see cref="OfRelease"/>); null for
    /// other names, which only an import can tell.
    /// </summary>
    public static string? Expected(ArchDefinition arch, string name) =>
        name == WeightsStore.DefaultName ? arch.Bundled?.Sha256 ?? Of(arch.Release) : Of(arch.ReleaseTagged(name));

    /// <summary>
    /// The identity of a file fetched as one of the architecture's releases (its file name): <see cref="OfSource"/>, except
    /// for a release with no published checksum (Xception's), which is identified by its URL, the one name the release
    /// table has for that file; imported by hand, the same file is identified by its content.
    /// </summary>
    public static string OfRelease(string sourceSha256, ArchDefinition arch, string fileName) =>
        arch.Releases.FirstOrDefault(r => r.Rule == ChecksumRule.Unverified && r.FileName == fileName) is { } release
            ? UrlPrefix + release.Url
            : OfSource(sourceSha256, arch);

    private const string UrlPrefix = "url:";

    private static string? Of(ReleaseWeights? release) => release is null ? null : release.ExpectedSha256 ?? UrlPrefix + release.Url;

    private static IEnumerable<string> Published(ArchDefinition arch)
    {
        if (arch.Bundled is { } bundled) yield return bundled.Sha256;
        foreach (var release in arch.Releases)
            if (release.ExpectedSha256 is { } sha) yield return sha;
    }
}
