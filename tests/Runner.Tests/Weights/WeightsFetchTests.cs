using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Weights.WeightsTestSupport;

namespace Runner.Tests.Weights;

/// <summary><c>weights fetch</c> against an in-process HTTP server on 127.0.0.1: resume, restart, checksum.</summary>
public sealed class WeightsFetchTests : WeightsTestBase
{
    private readonly byte[] _file;
    private readonly string _sha;
    private readonly LoopbackHttpServer _server;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<DownloadProgress> _progress = [];

    public WeightsFetchTests()
    {
        using var model = Randomized(Tiny(), 1000);
        var path = SavePy(PathIn("tiny-release.pth"), model);
        _file = File.ReadAllBytes(path);
        _sha = WeightsStore.Sha256Of(path);
        _server = new LoopbackHttpServer(_file);
    }

    private Uri ReleaseUrl => _server.Url($"tiny-{_sha[..8]}.pth");

    private ArchDefinition Arch(string? sha = null) => Tiny(new ReleaseWeights(ReleaseUrl.ToString(), sha ?? _sha[..8]));

    private WeightsDownloader Downloader() => new(_http) { Progress = _progress.Add, ProgressInterval = TimeSpan.Zero };

    private string Destination => Path.Combine(Store.DownloadsDirectory, $"tiny-{_sha[..8]}.pth");

    [Fact]
    public async Task A_cut_off_download_leaves_a_part_that_the_next_run_resumes_with_a_range_request()
    {
        Assert.True(_file.Length > 4000);
        const int cut = 3000;
        _server.CutNextAfter = cut;

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Store.FetchAsync(Arch(), Downloader()));
        Assert.Contains("interrupted", e.Message);
        Assert.Contains("run the same command again to resume", e.Message);
        var part = WeightsDownloader.PartPath(Destination);
        Assert.Equal(cut, new FileInfo(part).Length);
        Assert.Null(Store.Resolve("tiny", "imagenet"));

        var fetched = await Store.FetchAsync(Arch(), Downloader());

        Assert.Equal([null, $"bytes={cut}-"], _server.Ranges);
        Assert.Equal(cut, fetched.Download.ResumedFrom);
        Assert.False(File.Exists(part));
        Assert.Equal(_file, File.ReadAllBytes(Destination));
        Assert.Equal(_sha, fetched.Download.Sha256);
        var entry = Store.Resolve("tiny", "imagenet");
        Assert.NotNull(entry);
        Assert.Equal((ReleaseUrl.ToString(), "pytorch", _sha, "1000"),
            (entry.Manifest.Source, entry.Manifest.SourceFormat, entry.Manifest.SourceSha256, entry.Manifest.HeadClasses));
        var last = _progress[^1];
        Assert.True(last.Done);
        Assert.Equal((long)_file.Length, last.Received);
        Assert.Equal(cut, last.ResumedFrom);

        // A third run finds the verified download and only re-imports.
        var again = await Store.FetchAsync(Arch(), Downloader());
        Assert.True(again.Download.AlreadyPresent);
        Assert.Equal(2, _server.Ranges.Count);
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_makes_the_download_start_over()
    {
        Directory.CreateDirectory(Store.DownloadsDirectory);
        File.WriteAllBytes(WeightsDownloader.PartPath(Destination), new byte[500]); // junk that must not survive
        _server.IgnoreRange = true;

        var fetched = await Store.FetchAsync(Arch(), Downloader());

        Assert.Equal(["bytes=500-"], _server.Ranges);
        Assert.Equal(0, fetched.Download.ResumedFrom);
        Assert.Equal(_file, File.ReadAllBytes(Destination));
    }

    [Fact]
    public async Task A_complete_part_is_accepted_after_a_416()
    {
        Directory.CreateDirectory(Store.DownloadsDirectory);
        File.WriteAllBytes(WeightsDownloader.PartPath(Destination), _file);

        var fetched = await Store.FetchAsync(Arch(), Downloader());

        Assert.Equal([$"bytes={_file.Length}-"], _server.Ranges);
        Assert.Equal(_sha, fetched.Download.Sha256);
    }

    [Fact]
    public async Task A_checksum_mismatch_is_detected_the_file_deleted_and_nothing_imported()
    {
        var wrong = (_sha[0] == '0' ? "1" : "0") + _sha[1..8];

        var e = await Assert.ThrowsAsync<WeightsChecksumException>(() => Store.FetchAsync(Arch(wrong), Downloader()));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(_sha, e.Message);
        Assert.False(File.Exists(Destination));
        Assert.False(File.Exists(WeightsDownloader.PartPath(Destination)));
        Assert.Null(Store.Resolve("tiny", "imagenet"));
    }

    [Fact]
    public async Task Url_override_and_architectures_without_a_release()
    {
        var noRelease = Tiny();
        var e = await Assert.ThrowsAsync<WeightsException>(() => Store.FetchAsync(noRelease, Downloader()));
        Assert.Contains("has no released weights", e.Message);
        await Assert.ThrowsAsync<WeightsException>(() => Store.FetchAsync(noRelease, Downloader(), _server.Url("x.pth")));

        var mirror = _server.Url("mirror/tiny.pth");
        var fetched = await Store.FetchAsync(noRelease, Downloader(), mirror, _sha[..10]);
        Assert.Equal(mirror.ToString(), fetched.Stored.Entry.Manifest.Source);
        Assert.Equal(Path.Combine(Store.DownloadsDirectory, "tiny.pth"), fetched.Download.Path);
    }

    [Fact]
    public async Task Http_errors_are_download_errors()
    {
        using var refused = new HttpClient();
        var port = _server.Port;
        _server.Dispose();
        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() =>
            Store.FetchAsync(Tiny(), new WeightsDownloader(refused), new Uri($"http://127.0.0.1:{port}/gone.pth"), _sha[..8]));
        Assert.Contains("cannot download", e.Message);
    }

    protected override void DisposeResources()
    {
        _server.Dispose();
        _http.Dispose();
    }
}
