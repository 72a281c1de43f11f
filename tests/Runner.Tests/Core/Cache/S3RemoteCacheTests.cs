using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>
/// The remote cache against a real S3-compatible server (s3rver on loopback): what one runner uploads another fetches
/// verified, and nothing else.
/// </summary>
public sealed class S3RemoteCacheTests : IDisposable
{
    private readonly S3Server _server = new();
    private readonly TempDir _temp = new();
    private readonly StringWriter _warnings = new();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private RemoteLocation Location(string prefix = "team") => new(S3Server.Bucket, prefix, _server.Endpoint);

    private S3RemoteCache Remote(string prefix = "team") => new(Location(prefix), _warnings, S3Server.Credentials);

    private CacheStore Home(string name) => new(Path.Combine(_temp.Path, name, "cache"));

    private static readonly string Key = new('a', 64);

    /// <summary>A committed entry for <paramref name="key"/> whose files hold <paramref name="content"/>.</summary>
    private static CacheEntry Add(CacheStore cache, string key, string content, int checkpointBytes = 1000)
    {
        var staging = cache.BeginStaging(key);
        File.WriteAllText(Path.Combine(staging, "train.json"), $"{{\"content\":\"{content}\"}}");
        Directory.CreateDirectory(Path.Combine(staging, "sub"));
        var checkpoint = Enumerable.Range(0, checkpointBytes).Select(i => (byte)(i * content.Length)).ToArray();
        File.WriteAllBytes(Path.Combine(staging, "sub", "model.bin"), checkpoint);
        return cache.Commit(staging, new CacheManifest(key, "train:a", "train", new JsonObject { ["content"] = content },
            new Dictionary<string, string>(), Planner.RunnerVersion, DateTimeOffset.UtcNow, 1, []));
    }

    [Fact]
    public void What_one_home_uploads_another_fetches_verified_and_a_second_upload_sends_nothing()
    {
        var a = Home("a");
        var b = Home("b");
        var entry = Add(a, Key, "w", checkpointBytes: 3 << 20);
        using var remote = Remote();

        Assert.False(remote.Has(Key));
        Assert.Equal(RemoteResult.Absent, remote.Fetch(Key, b).Result);
        var upload = remote.Upload(entry);
        var again = Remote().Upload(entry);
        var fetch = Remote().Fetch(Key, b);

        Assert.Equal(RemoteResult.Transferred, upload.Result);
        Assert.Equal(entry.Manifest.Files.Sum(f => f.Size), upload.Bytes);
        Assert.Equal(RemoteResult.AlreadyThere, again.Result);
        Assert.True(remote.Has(Key));
        Assert.Equal(RemoteResult.Transferred, fetch.Result);
        var fetched = b.Find(Key)!;
        Assert.Empty(CacheStore.Verify(fetched));
        Assert.Equal(File.ReadAllBytes(entry.PathOf("sub/model.bin")), File.ReadAllBytes(fetched.PathOf("sub/model.bin")));
        Assert.Equal(File.ReadAllText(entry.PathOf(CacheStore.ManifestFile)), File.ReadAllText(fetched.PathOf(CacheStore.ManifestFile)));
        Assert.Empty(b.StagingFolders());
        Assert.Equal("", _warnings.ToString());
    }

    [Fact]
    public async Task Runners_uploading_one_key_at_once_leave_one_complete_entry_and_readers_never_see_a_mixture()
    {
        // Training is not bit-reproducible across machines: each runner's entry for the key holds other bytes.
        var entries = Enumerable.Range(0, 4).Select(i => Add(Home($"runner{i}"), Key, new string('x', i + 1), checkpointBytes: 256 << 10)).ToList();
        var remotes = entries.Select(_ => Remote()).ToList();
        var seen = new System.Collections.Concurrent.ConcurrentBag<RemoteTransfer>();
        using var stopReading = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            using var remote = Remote();
            for (var i = 0; !stopReading.IsCancellationRequested; i++)
            {
                var home = Home($"reader{i}");
                seen.Add(remote.Fetch(Key, home));
            }
        });

        var uploads = entries.Select((e, i) => Task.Run(() => remotes[i].Upload(e))).ToArray();
        await Task.WhenAll(uploads);
        await stopReading.CancelAsync();
        await reader;

        Assert.All(uploads, u => Assert.Contains(u.Result.Result, new[] { RemoteResult.Transferred, RemoteResult.AlreadyThere }));
        var fetched = Remote().Fetch(Key, Home("after"));
        Assert.Equal(RemoteResult.Transferred, fetched.Result);
        // Every entry a reader took is one runner's entry, whole. (s3rver rewrites an object in place, so a reader racing
        // an overwrite of the manifest may read it torn and refuse it; S3 replaces objects atomically.)
        foreach (var taken in seen.Append(fetched).Where(t => t.Result == RemoteResult.Transferred))
        {
            Assert.Empty(CacheStore.Verify(taken.Entry!));
            var source = entries.Single(e => File.ReadAllText(e.PathOf("train.json")) == File.ReadAllText(taken.Entry!.PathOf("train.json")));
            Assert.Equal(File.ReadAllBytes(source.PathOf("sub/model.bin")), File.ReadAllBytes(taken.Entry!.PathOf("sub/model.bin")));
        }
        Assert.All(seen, t => Assert.NotEqual(RemoteResult.Unavailable, t.Result));
        Assert.Equal("", _warnings.ToString());
    }

    [Theory]
    [InlineData("altered", "sub/model.bin: SHA-256 differs from the manifest")]
    [InlineData("truncated", "sub/model.bin: 999 bytes, manifest says 1000")]
    public void A_corrupt_or_truncated_remote_file_is_refused_and_the_next_upload_of_the_key_replaces_it(string damage, string problem)
    {
        var entry = Add(Home("a"), Key, "w");
        using (var uploader = Remote()) uploader.Upload(entry);
        var blob = entry.Manifest.Files.Single(f => f.Name == "sub/model.bin").Sha256;
        var bytes = File.ReadAllBytes(entry.PathOf("sub/model.bin"));
        if (damage == "altered") bytes[500] ^= 0xff;
        else bytes = bytes[..^1];
        _server.Put($"team/cas/{blob}", bytes);
        var b = Home("b");
        using var remote = Remote();

        var refused = remote.Fetch(Key, b);
        var recomputed = Add(Home("c"), Key, "w"); // the same bytes, made again: the content address is the damaged one's
        var reupload = remote.Upload(recomputed);
        var fetched = Remote().Fetch(Key, b);

        Assert.True(Remote().Has(Key));
        Assert.Equal("", _warnings.ToString());
        Assert.Equal(RemoteResult.Refused, refused.Result);
        Assert.Contains(problem, refused.Problem);
        Assert.Null(refused.Entry);
        Assert.Equal(RemoteResult.Transferred, reupload.Result);
        Assert.Equal(RemoteResult.Transferred, fetched.Result);
        Assert.Empty(CacheStore.Verify(fetched.Entry!));
        Assert.Empty(b.StagingFolders());
        Assert.Equal("", _warnings.ToString());
    }

    [Theory]
    [InlineData("../../../outside.txt")]
    [InlineData("/tmp/outside.txt")]
    [InlineData("manifest.json")]
    public void A_remote_manifest_naming_a_file_outside_its_entry_is_refused_and_nothing_is_written(string name)
    {
        var entry = Add(Home("a"), Key, "w");
        using (var uploader = Remote()) uploader.Upload(entry);
        var manifest = JsonNode.Parse(File.ReadAllText(entry.PathOf(CacheStore.ManifestFile)))!;
        manifest["files"]![0]!["name"] = name;
        _server.Put(Assert.Single(_server.Keys($"team/entries/{Key}/")), System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var b = Home("b");

        var fetch = Remote().Fetch(Key, b);

        Assert.Equal(RemoteResult.Refused, fetch.Result);
        Assert.Contains(name, fetch.Problem);
        Assert.Null(b.Find(Key));
        Assert.Empty(b.StagingFolders());
        Assert.False(File.Exists(Path.Combine(_temp.Path, "outside.txt")));
        Assert.False(File.Exists("/tmp/outside.txt"));
    }

    [Fact]
    public void A_stopped_server_is_reported_once_and_then_left_alone()
    {
        var entry = Add(Home("a"), Key, "w");
        using var remote = Remote();
        _server.Stop();

        var has = remote.Has(Key);
        var fetch = remote.Fetch(Key, Home("b"));
        var upload = remote.Upload(entry);

        Assert.False(has);
        Assert.Equal(RemoteResult.Unavailable, fetch.Result);
        Assert.Equal(RemoteResult.Unavailable, upload.Result);
        var warning = Assert.Single(_warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"WARNING remote cache s3://{S3Server.Bucket}/team is unavailable (", warning);
        Assert.Contains("Connection refused", warning);
        Assert.DoesNotContain(S3Server.SecretKey, warning);
        Assert.Empty(CacheStore.Verify(entry)); // the local entry is untouched
    }

    [Fact]
    public void A_throttling_server_gets_a_bounded_number_of_tries_then_is_reported_once()
    {
        using var http = new LoopbackHttpServer("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"u8.ToArray())
            { Status = "503 Slow Down" };
        var location = new RemoteLocation(S3Server.Bucket, "team", new Uri($"http://127.0.0.1:{http.Port}"));
        using var remote = new S3RemoteCache(location, _warnings, S3Server.Credentials);

        var first = remote.Has(Key);
        var tries = http.Paths.Count;
        var fetch = remote.Fetch(Key, Home("b"));

        Assert.False(first);
        Assert.Equal(3, tries); // the SDK's standard retry mode: 3 attempts with backoff
        Assert.Equal(RemoteResult.Unavailable, fetch.Result);
        Assert.Equal(tries, http.Paths.Count); // nothing more once reported
        var warning = Assert.Single(_warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("503", warning);
    }
}
