using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Runner.Tests.Fixtures;

/// <summary>
/// A real S3-compatible server for the remote-cache tests: s3rver (npm, installed into .tools/ by <c>setup.sh --for
/// test</c>) on a free loopback port with one bucket, its objects in a temporary folder. It checks SigV4 signatures
/// with its fixed credentials. <see cref="Stop"/> kills it (a remote that went away); dispose removes everything.
/// </summary>
public sealed partial class S3Server : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Bucket = "runner-cache";

    private readonly Process _process;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "runner-s3rver-" + Guid.NewGuid().ToString("N")[..8]);

    public S3Server()
    {
        var script = Path.Combine(ReferenceFixtures.RepoRoot(), ".tools", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing: run ./setup.sh --for test (it installs s3rver into .tools/)");
        Directory.CreateDirectory(_data);
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--directory", _data, "--address", "127.0.0.1", "--port", "0", "--silent", "--configure-bucket", Bucket })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } m)
                listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        };
        _process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            Stop();
            throw new InvalidOperationException($"s3rver did not start within 30 s: {errors}");
        }
        Port = listening.Task.Result;
    }

    public int Port { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");
    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKey, SecretKey);

    /// <summary>A plain SDK client of this server, for tests that look at or damage objects behind runner's back.</summary>
    public AmazonS3Client Client() =>
        new(Credentials, new AmazonS3Config { ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>The keys of every object under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Keys(string prefix)
    {
        using var client = Client();
        var listing = client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix }).GetAwaiter().GetResult();
        return [.. listing.S3Objects?.Select(o => o.Key) ?? []];
    }

    /// <summary>Replaces an object's bytes, as a damaged disk or a careless hand would.</summary>
    public void Put(string key, byte[] bytes)
    {
        using var client = Client();
        var request = new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false };
        client.PutObjectAsync(request).GetAwaiter().GetResult();
    }

    /// <summary>What a runner process needs to use this server as its remote cache under <paramref name="prefix"/>.</summary>
    public Dictionary<string, string> Environment(string prefix = "runner") => new()
    {
        ["RUNNER_REMOTE"] = $"s3://{Bucket}/{prefix}",
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString(),
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = "us-east-1",
    };

    public void Stop()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"S3rver listening on [^:]+:(\d+)")]
    private static partial Regex Listening();
}
