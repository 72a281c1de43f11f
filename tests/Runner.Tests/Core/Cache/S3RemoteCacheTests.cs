using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Runner.Core.Cache;
using Runner.Core.Planning;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>The remote cache against a real S3-compatible server (s3rver on loopback): what one runner uploads another fetches verified, and nothing else.</summary>
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
        File.WriteAllBytes(Path.Combine(staging, "sub", "model.bin"), Enumerable.Range(0, checkpointBytes).Select(i => (byte)(i * content.Length)).ToArray());
        return cache.Commit(staging, new CacheManifest(key, "train:a", "train", new JsonObject { ["content"] = content }, new Dictionary<string, string>(),
            Planner.RunnerVersion, DateTimeOffset.UtcNow, 1, []));
    }

    private AmazonS3Client Client() => new(S3Server.Credentials, new AmazonS3Config { ServiceURL = _server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

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
}
