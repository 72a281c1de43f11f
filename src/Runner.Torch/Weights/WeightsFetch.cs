using Runner.Torch.Models;

namespace Runner.Torch.Weights;

/// <summary>The outcome of <see cref="WeightsStore.FetchAsync"/>: the download and the entry it was imported as.</summary>
public sealed record FetchedWeights(DownloadResult Download, StoredWeights Stored);

public sealed partial class WeightsStore
{
    /// <summary>
    /// <c>runner weights fetch</c>: downloads <paramref name="arch"/>'s released weights (or <paramref name="url"/>, a mirror)
    /// into <see cref="DownloadsDirectory"/>, resuming a partial download, verifies the SHA-256 prefix
    /// (<paramref name="sha256Prefix"/> overrides the release's) and imports the file as <see cref="DefaultName"/>.
    /// Throws <see cref="WeightsException"/> when the architecture has no release and no URL/checksum is given,
    /// <see cref="WeightsDownloadException"/> when the download fails or does not verify.
    /// </summary>
    public async Task<FetchedWeights> FetchAsync(
        ArchDefinition arch, WeightsDownloader downloader, Uri? url = null, string? sha256Prefix = null, CancellationToken cancel = default)
    {
        if (arch.Release is null && url is null)
            throw new WeightsException(
                $"{arch.Name} has no released weights runner knows of; import a file with `runner weights import FILE --arch {arch.Name}` " +
                "(or give `--url URL --sha256 PREFIX`)");
        var expected = sha256Prefix ?? arch.Release?.Sha256Prefix
            ?? throw new WeightsException($"{arch.Name} has no released weights, so there is no checksum to verify {url} against: add --sha256 PREFIX");
        if (expected.Length < 8 || !expected.All(Uri.IsHexDigit))
            throw new WeightsException($"invalid SHA-256 prefix '{expected}': give at least 8 hex digits");
        var source = url ?? new Uri(arch.Release!.Url);
        if (source.Scheme != Uri.UriSchemeHttp && source.Scheme != Uri.UriSchemeHttps)
            throw new WeightsException($"{source}: only http and https URLs can be fetched (import a local file with `runner weights import`)");

        var fileName = Path.GetFileName(source.AbsolutePath);
        if (string.IsNullOrEmpty(fileName) || !IsValidName(fileName)) fileName = $"{arch.Name}-{expected[..8].ToLowerInvariant()}.pth";
        var destination = Path.Combine(DownloadsDirectory, fileName);

        var download = await downloader.DownloadAsync(source, destination, expected, cancel);
        var stored = Import(download.Path, arch, DefaultName, source.ToString());
        return new FetchedWeights(download, stored);
    }
}
