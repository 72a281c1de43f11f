using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static Runner.Tests.Fixtures.WeightsTestSupport;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// <c>weights fetch</c> against servers that lie, stall, never end or redirect elsewhere, on 127.0.0.1: every download
/// is bounded in size and time, stops at a full disk with its space returned, and reuses an earlier download only for
/// the URL it came from.
/// </summary>
public sealed class HostileDownloadTests : WeightsTestBase
{
    private readonly byte[] _file;
    private readonly LoopbackHttpServer _server;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ArchDefinition _tiny = Tiny();

    public HostileDownloadTests()
    {
        using var model = Randomized(_tiny, 1000);
        _file = File.ReadAllBytes(SavePy(PathIn("tiny.pth"), model));
        _server = new LoopbackHttpServer(_file);
    }

    private Task<FetchedWeights> Fetch(Uri url, WeightsDownloader? downloader = null) =>
        Store.FetchAsync(_tiny, downloader ?? new WeightsDownloader(_http), FetchSource.For(_tiny, url));

    [Fact]
    public async Task An_earlier_download_is_reused_only_for_the_url_it_came_from()
    {
        var good = _server.Url("good/tiny.pth");
        Assert.False((await Fetch(good)).Download.AlreadyPresent);
        Assert.True((await Fetch(good)).Download.AlreadyPresent);
        Uri dead;
        using (var gone = new LoopbackHttpServer([])) dead = gone.Url("good/tiny.pth"); // the same file name, on a server that is gone

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Fetch(dead));

        Assert.Contains($"cannot download {dead}", e.Message);
        Assert.Equal(good.ToString(), Store.Resolve("tiny")!.Manifest.Source);
    }

    [Fact]
    public async Task A_download_that_does_not_import_is_deleted_so_the_next_fetch_downloads_again()
    {
        var url = _server.Url("weights/tiny.pth");
        _server.Files["/weights/tiny.pth"] = "<html>Sign in to download</html>"u8.ToArray();

        await Assert.ThrowsAsync<WeightsFormatException>(() => Fetch(url));
        Assert.Empty(Directory.EnumerateFiles(Store.DownloadsDirectory, "*", SearchOption.AllDirectories));

        _server.Files["/weights/tiny.pth"] = _file;
        var fetched = await Fetch(url);

        Assert.False(fetched.Download.AlreadyPresent);
        Assert.Equal(2, _server.Paths.Count(p => p == "/weights/tiny.pth"));
        Assert.Equal(url.ToString(), fetched.Stored.Entry.Manifest.Source);
    }

    [Fact]
    public async Task A_size_announced_beyond_what_the_architecture_can_take_is_refused_before_anything_is_written()
    {
        _server.AnnouncedLength = 1_000_000_000_000_000;

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Fetch(_server.Url("huge/tiny.pth")));

        Assert.Contains("announces 1,000,000,000,000,000 bytes, more than the", e.Message);
        Assert.Contains("nothing was downloaded", e.Message);
        Assert.Empty(Directory.EnumerateFiles(Store.DownloadsDirectory, "*", SearchOption.AllDirectories));
        Assert.True(WeightsScreen.MaxDownloadBytes(_tiny) < 300L * 1024 * 1024);
    }

    [Fact]
    public async Task An_endless_body_is_cut_at_the_cap_and_its_part_deleted()
    {
        _server.Endless = true;
        var destination = PathIn("downloads/endless.pth");

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() =>
            new WeightsDownloader(_http).DownloadAsync(_server.Url("endless.pth"), destination, null, maxBytes: 1024 * 1024));

        Assert.Contains("ran past 1,048,576 bytes", e.Message);
        Assert.False(File.Exists(WeightsDownloader.PartPath(destination)));
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_server_that_drips_a_byte_at_a_time_is_given_up_on_and_the_part_kept_for_a_resume()
    {
        _server.Drip = TimeSpan.FromMilliseconds(50);
        var downloader = new WeightsDownloader(_http) { StallTimeout = TimeSpan.FromSeconds(1), StallBytes = 1024 };

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Fetch(_server.Url("drip/tiny.pth"), downloader))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("was interrupted after", e.Message);
        Assert.Contains("stalled:", e.Message);
        Assert.Contains("is kept: run the same command again to resume", e.Message);
    }

    [Fact]
    public async Task A_full_disk_stops_the_download_and_deletes_its_part()
    {
        var destination = PathIn("downloads/full.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.CreateSymbolicLink(WeightsDownloader.PartPath(destination), "/dev/full"); // every write: ENOSPC

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() =>
            new WeightsDownloader(_http).DownloadAsync(_server.Url("tiny.pth"), destination, null, maxBytes: 1024 * 1024));

        Assert.Contains("stopped: no space left on device", e.Message);
        Assert.Contains("the part was deleted", e.Message);
        Assert.False(Path.Exists(WeightsDownloader.PartPath(destination)));
    }

    [Fact]
    public async Task A_redirect_to_a_file_url_is_refused_naming_it()
    {
        _server.Redirects["/r/tiny.pth"] = "file:///etc/passwd";

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Fetch(_server.Url("r/tiny.pth")));

        Assert.Equal($"cannot download {_server.Url("r/tiny.pth")}: it redirects to file:///etc/passwd, which is not an http(s) URL", e.Message);
    }

    [Fact]
    public async Task An_html_page_is_refused_before_it_is_written()
    {
        _server.ContentType = "text/html";

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => Fetch(_server.Url("page/tiny.pth")));

        Assert.Contains("the server sent a web page (text/html), not a weights file", e.Message);
        Assert.Empty(Directory.EnumerateFiles(Store.DownloadsDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Credentials_in_the_url_are_sent_but_never_shown_nor_recorded()
    {
        var url = new Uri($"http://reader:s3cret@127.0.0.1:{_server.Port}/private/tiny.pth?token=t0ken&v=2");

        var fetched = await Fetch(url);

        var source = fetched.Stored.Entry.Manifest.Source;
        Assert.Equal($"http://***@127.0.0.1:{_server.Port}/private/tiny.pth?token=***&v=2", source);
        Assert.Equal("Basic " + Convert.ToBase64String("reader:s3cret"u8.ToArray()), _server.Authorizations.Last());
        _server.Redirects["/private/moved.pth?token=t0ken"] = "ftp://elsewhere/tiny.pth";
        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() =>
            Fetch(new Uri($"http://reader:s3cret@127.0.0.1:{_server.Port}/private/moved.pth?token=t0ken")));
        Assert.StartsWith($"cannot download http://***@127.0.0.1:{_server.Port}/private/moved.pth?token=***: it redirects to ftp:", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.DoesNotContain("t0ken", e.Message);
    }

    protected override void DisposeResources()
    {
        _server.Dispose();
        _http.Dispose();
    }
}
