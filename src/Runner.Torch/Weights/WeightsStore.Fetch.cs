using System.Security.Cryptography;
using System.Text;
using Runner.Core.Util;
using Runner.Torch.Models;

namespace Runner.Torch.Weights;

public sealed partial class WeightsStore
{
    /// <summary>
    /// <c>runner weights fetch</c>: downloads <paramref name="source"/> into <c>downloads/ARCH/URLHASH/</c> (a folder of
    /// its own per URL, so an earlier download is reused, or resumed, only for the URL it came from, and only when it
    /// matches the checksum if one is known), at most <see cref="WeightsScreen.MaxDownloadBytes"/>, and imports the file
    /// strictly as <paramref name="name"/> (<see cref="DefaultName"/>, or the release's tag), recording the URL with its
    /// credentials masked. A download that does not import and that no checksum vouches for (an HTML error page, another
    /// model) is deleted, so the next fetch downloads again. Throws <see cref="WeightsDownloadException"/> when the download
    /// fails or does not verify (nothing is imported), <see cref="WeightsException"/> when the file does not fit the architecture.
    /// </summary>
    public async Task<FetchedWeights> FetchAsync(ArchDefinition arch, WeightsDownloader downloader, FetchSource source,
        string name = DefaultName, CancellationToken cancel = default)
    {
        CheckName(arch.Name, "architecture name");
        var fileName = Path.GetFileName(source.Url.AbsolutePath);
        if (string.IsNullOrEmpty(fileName) || !IsValidName(fileName)) fileName = $"{arch.Name}.pth";
        var destination = Path.Combine(DownloadPath(arch, source.Url), fileName);

        var download = await downloader.DownloadAsync(source.Url, destination, source.ExpectedSha256, WeightsScreen.MaxDownloadBytes(arch), cancel);
        var verified = source.ExpectedSha256 is not null;
        try
        {
            var stored = Import(download.Path, arch, name, UrlText.Redact(source.Url),
                identity: WeightsIdentity.OfRelease(download.Sha256, arch, Path.GetFileName(download.Path)));
            return new FetchedWeights(download, verified, stored);
        }
        catch (WeightsException) when (!verified)
        {
            File.Delete(download.Path);
            throw;
        }
    }

    /// <summary>Where downloads of <paramref name="url"/> for <paramref name="arch"/> go: a folder named by the URL's SHA-256.</summary>
    public string DownloadPath(ArchDefinition arch, Uri url) =>
        Path.Combine(DownloadsDirectory, arch.Name, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..16]);
}
