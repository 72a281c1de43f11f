using Runner.Torch.Models;

namespace Runner.Torch.Weights;

public sealed partial class WeightsStore
{
    /// <summary>
    /// <c>runner weights fetch</c>: downloads <paramref name="source"/> into <c>downloads/ARCH/</c>, resuming a partial
    /// download, verifies its SHA-256 when a checksum is known and imports the file strictly as <paramref name="name"/>
    /// (<see cref="DefaultName"/>, or the release's tag).
    /// Throws <see cref="WeightsDownloadException"/> when the download fails or does not verify (nothing is imported),
    /// <see cref="WeightsException"/> when the file does not fit the architecture.
    /// </summary>
    public async Task<FetchedWeights> FetchAsync(ArchDefinition arch, WeightsDownloader downloader, FetchSource source,
        string name = DefaultName, CancellationToken cancel = default)
    {
        CheckName(arch.Name, "architecture name");
        var fileName = Path.GetFileName(source.Url.AbsolutePath);
        if (string.IsNullOrEmpty(fileName) || !IsValidName(fileName)) fileName = $"{arch.Name}.pth";
        var destination = Path.Combine(DownloadsDirectory, arch.Name, fileName);

        var download = await downloader.DownloadAsync(source.Url, destination, source.ExpectedSha256, cancel);
        var stored = Import(download.Path, arch, name, source.Url.ToString(),
            identity: WeightsIdentity.OfRelease(download.Sha256, arch, Path.GetFileName(download.Path)));
        return new FetchedWeights(download, source.ExpectedSha256 is not null, stored);
    }
}
