using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Torch.Weights;

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

    private ArchDefinition Arch(string? sha = null) => Tiny(ReleaseWeights.HubSuffix(_server.Url($"tiny-{sha ?? _sha[..8]}.pth").ToString()));

    private Task<FetchedWeights> Fetch(ArchDefinition arch, Uri? url = null, string? sha256 = null) =>
        Store.FetchAsync(arch, Downloader(), FetchSource.For(arch, url, sha256));

    private WeightsDownloader Downloader() => new(_http) { Progress = _progress.Add, ProgressInterval = TimeSpan.Zero };

    private string Destination => Path.Combine(Store.DownloadPath(Arch(), _server.Url($"tiny-{_sha[..8]}.pth")), $"tiny-{_sha[..8]}.pth");

    [Fact]
    public async Task A_fetched_release_keeps_the_identity_its_plan_had_before_the_download()
    {
        var verified = Arch();
        var unverified = Tiny(ReleaseWeights.Unverified(_server.Url("tiny-1234abcd5.pth").ToString()));
        var planned = new[] { verified, unverified }.Select(a => BackboneWeights.Identity(a, "imagenet", Store)).ToList();

        var fetched = new List<string>();
        foreach (var arch in new[] { verified, unverified })
        {
            fetched.Add((await Fetch(arch)).Stored.Entry.Identity);
            Directory.Delete(Store.Root, recursive: true);
        }

        Assert.Equal([_sha[..8], "url:" + _server.Url("tiny-1234abcd5.pth")], planned);
        Assert.Equal(planned, fetched);
    }

    [Fact]
    public async Task A_cut_off_download_leaves_a_part_that_the_next_run_resumes_with_a_range_request()
    {
        Assert.True(_file.Length > 4000);
        const int cut = 3000;
        _server.CutNextAfter = cut;

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Fetch(Arch()));
        Assert.Contains("interrupted", e.Message);
        Assert.Contains("run the same command again to resume", e.Message);
        var part = WeightsDownloader.PartPath(Destination);
        Assert.Equal(cut, new FileInfo(part).Length);
        Assert.Null(Store.Resolve("tiny", "imagenet"));

        var fetched = await Fetch(Arch());

        Assert.Equal([null, $"bytes={cut}-"], _server.Ranges);
        Assert.Equal(cut, fetched.Download.ResumedFrom);
        Assert.False(File.Exists(part));
        Assert.Equal(_file, File.ReadAllBytes(Destination));
        Assert.Equal(_sha, fetched.Download.Sha256);
        var entry = Store.Resolve("tiny", "imagenet");
        Assert.NotNull(entry);
        Assert.Equal((_server.Url($"tiny-{_sha[..8]}.pth").ToString(), "pytorch", _sha, "1000"),
            (entry.Manifest.Source, entry.Manifest.SourceFormat, entry.Manifest.SourceSha256, entry.Manifest.HeadClasses));
        var last = _progress[^1];
        Assert.True(last.Done);
        Assert.Equal((long)_file.Length, last.Received);
        Assert.Equal(cut, last.ResumedFrom);

        // A third run finds the verified download and only re-imports.
        var again = await Fetch(Arch());
        Assert.True(again.Download.AlreadyPresent);
        Assert.Equal(2, _server.Ranges.Count);
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_makes_the_download_start_over()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
        File.WriteAllBytes(WeightsDownloader.PartPath(Destination), new byte[500]); // junk that must not survive
        _server.IgnoreRange = true;

        var fetched = await Fetch(Arch());

        Assert.Equal(["bytes=500-"], _server.Ranges);
        Assert.Equal(0, fetched.Download.ResumedFrom);
        Assert.Equal(_file, File.ReadAllBytes(Destination));
    }

    [Fact]
    public async Task A_complete_part_is_accepted_after_a_416()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
        File.WriteAllBytes(WeightsDownloader.PartPath(Destination), _file);

        var fetched = await Fetch(Arch());

        Assert.Equal([$"bytes={_file.Length}-"], _server.Ranges);
        Assert.Equal(_sha, fetched.Download.Sha256);
    }

    [Fact]
    public async Task A_checksum_mismatch_is_detected_the_file_deleted_and_nothing_imported()
    {
        var wrong = (_sha[0] == '0' ? "1" : "0") + _sha[1..8];

        var e = await Assert.ThrowsAsync<WeightsChecksumException>(() => Fetch(Arch(wrong)));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(_sha, e.Message);
        Assert.Empty(Directory.EnumerateFiles(Store.DownloadsDirectory, "*", SearchOption.AllDirectories));
        Assert.Null(Store.Resolve("tiny", "imagenet"));
    }

    [Fact]
    public async Task Url_override_mirror_and_architectures_without_a_release()
    {
        var noRelease = Tiny();
        var e = Assert.Throws<WeightsException>(() => FetchSource.For(noRelease));
        Assert.Contains("has no released weights", e.Message);
        Assert.Throws<WeightsException>(() => FetchSource.For(noRelease, _server.Url("x.pth"), "xyz"));

        // A user's own file: verified when a checksum is given, else only recorded.
        var mirror = _server.Url("mine/tiny.pth");
        var fetched = await Fetch(noRelease, mirror, _sha[..10]);
        Assert.True(fetched.Verified);
        Assert.Equal(mirror.ToString(), fetched.Stored.Entry.Manifest.Source);
        Assert.Equal(Path.Combine(Store.DownloadPath(noRelease, mirror), "tiny.pth"), fetched.Download.Path);
        Assert.False((await Fetch(noRelease, _server.Url("other/tiny.pth"))).Verified);

        // The release's file name under another host keeps the release's checksum.
        var release = Arch();
        var source = FetchSource.For(release, mirror: new Uri($"http://127.0.0.1:{_server.Port}/base/"));
        Assert.Equal((_server.Url($"base/tiny-{_sha[..8]}.pth"), _sha[..8]), (source.Url, source.ExpectedSha256));
        Assert.Equal(_sha[..8], FetchSource.For(release, _server.Url($"elsewhere/tiny-{_sha[..8]}.pth")).ExpectedSha256);
        Assert.Null(FetchSource.For(release, _server.Url("elsewhere/renamed.pth")).ExpectedSha256);
    }

    [Fact]
    public async Task Http_errors_are_download_errors()
    {
        using var refused = new HttpClient();
        var port = _server.Port;
        _server.Dispose();
        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() =>
            Store.FetchAsync(Tiny(), new WeightsDownloader(refused), FetchSource.For(Tiny(), new Uri($"http://127.0.0.1:{port}/gone.pth"), _sha[..8])));
        Assert.Contains("cannot download", e.Message);
    }

    protected override void DisposeResources()
    {
        _server.Dispose();
        _http.Dispose();
    }
}
