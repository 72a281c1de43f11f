using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Runner.Core.Publishing;
using Runner.Core.Util;

namespace Runner.Core.Cache;

/// <summary>
/// The remote cache on AWS S3 or any S3-compatible store (<see cref="S3Client"/>). Under the prefix:
/// <code>
/// cas/&lt;sha256&gt;                  a file's bytes, named by their SHA-256 (stored once for every entry that holds them)
/// entries/&lt;key&gt;/&lt;time&gt;-&lt;id&gt;.json   a manifest (the entry's local manifest.json), one per upload, after all its files
/// </code>
/// An entry exists when a manifest does, and a manifest names only objects uploaded before it, so an upload killed at
/// any point leaves nothing a reader takes for an entry. No manifest is ever overwritten (and a file only with its own
/// bytes), so two runners uploading one key at once each leave a complete entry, even on stores whose overwrites are
/// not atomic; a reader takes the newest manifest that passes its checks. Files are streamed both ways: memory stays
/// bounded whatever their size. A fetched entry is checked as <c>cache import</c> checks an archive's entries before
/// it is sealed into the local cache; one that fails is refused, reported, and superseded by the next upload of its
/// key, which also rewrites its files.
/// </summary>
public sealed class S3RemoteCache : IRemoteCache, IDisposable
{
    private static readonly string[] CredentialVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    private readonly IAmazonS3 _client;
    private readonly RemoteLocation _location;
    private readonly TextWriter _warnings;
    private readonly SecretRedactor _secrets;
    /// <summary>Keys whose remote entry was refused here: their next upload replaces the entry and its files.</summary>
    private readonly ConcurrentDictionary<string, bool> _refused = new();
    /// <summary>Why the remote is unavailable; once set, this process does not use it again.</summary>
    private volatile string? _down;

    public S3RemoteCache(RemoteLocation location, TextWriter warnings, AWSCredentials? credentials = null)
    {
        _location = location;
        _warnings = warnings;
        _client = S3Client.Create(location, credentials);
        var given = credentials?.GetCredentials();
        _secrets = new SecretRedactor([.. CredentialVariables.Select(Environment.GetEnvironmentVariable),
            given?.AccessKey, given?.SecretKey, given?.Token]);
    }

    public string Name => _location.ToString();

    /// <summary>Entries fetched and uploaded so far, for the summaries of <c>run</c>, <c>cache push</c> and <c>cache pull</c>.</summary>
    public RemoteTally Fetched { get; } = new();
    public RemoteTally Uploaded { get; } = new();

    /// <summary>Why the remote is unavailable (reported once), or null while it works.</summary>
    public string? Unavailable => _down;

    public bool Has(string key) => Guard(() => Manifests(key).Count > 0, _ => false);

    public RemoteTransfer Fetch(string key, CacheStore local) =>
        Guard(() => Fetched.Add(FetchEntry(key, local)), reason => new RemoteTransfer(RemoteResult.Unavailable, Problem: reason));

    public RemoteTransfer Upload(CacheEntry entry) =>
        Guard(() => Uploaded.Add(UploadEntry(entry)), reason => new RemoteTransfer(RemoteResult.Unavailable, Problem: reason));

    /// <summary>Every entry on the remote, with its manifest (null when it does not parse); null when the remote is unavailable.</summary>
    public IReadOnlyList<(string Key, CacheManifest? Manifest)>? List() => Guard<IReadOnlyList<(string, CacheManifest?)>?>(ListEntries, _ => null);

    /// <summary>The entry of the newest of the key's manifests that passes every check, sealed into the local cache.</summary>
    private RemoteTransfer FetchEntry(string key, CacheStore local)
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        foreach (var manifest in Manifests(key).OrderDescending(StringComparer.Ordinal))
        {
            var staging = local.BeginStaging(key);
            try
            {
                if (FetchInto(staging, key, manifest) is { } problem)
                {
                    if (problem.Length > 0) problems.Add(problem);
                    continue;
                }
                var entry = local.MoveIntoPlace(staging, key);
                return new RemoteTransfer(RemoteResult.Transferred, entry.Manifest.Files.Sum(f => f.Size), clock.Elapsed, entry);
            }
            finally
            {
                if (Directory.Exists(staging)) local.AbandonStaging(staging);
            }
        }
        if (problems.Count == 0) return new RemoteTransfer(RemoteResult.Absent);
        _refused[key] = true;
        return new RemoteTransfer(RemoteResult.Refused, Problem: problems[0]);
    }

    /// <summary>
    /// Downloads a manifest and the files it lists into <paramref name="staging"/> and checks them as cache import does:
    /// null when the entry is whole, "" when the manifest has gone, else why the entry is refused.
    /// </summary>
    private string? FetchInto(string staging, string key, string manifestObject)
    {
        var manifestPath = Path.Combine(staging, CacheStore.ManifestFile);
        if (Download(manifestObject, manifestPath, EntryRules.MaxManifestBytes) is { } missing)
            return missing.Length == 0 ? "" : $"{CacheStore.ManifestFile}: {missing}";
        CacheManifest manifest;
        try
        {
            manifest = EntryRules.ReadManifest(manifestPath);
        }
        catch (InvalidDataException e)
        {
            return $"{CacheStore.ManifestFile}: not a manifest ({e.Message})";
        }
        if (EntryRules.ManifestProblems(manifest, key) is { Count: > 0 } broken) return string.Join("; ", broken);
        foreach (var file in manifest.Files)
        {
            var target = Path.Combine([staging, .. file.Name.Split('/')]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Download(BlobObject(file.Sha256), target, file.Size) is { } problem)
                return $"{file.Name}: {(problem.Length == 0 ? $"its content ({BlobObject(file.Sha256)}) is missing" : problem)}";
        }
        var problems = EntryRules.CheckFolder(staging, key, out _); // they read "KEY/file: …" or "KEY: …"; the caller names the key
        return problems.Count == 0 ? null : string.Join("; ", problems.Select(p =>
            p.Replace(key + "/", "", StringComparison.Ordinal).Replace(key + ": ", "", StringComparison.Ordinal)));
    }

    private RemoteTransfer UploadEntry(CacheEntry entry)
    {
        var clock = Stopwatch.StartNew();
        var key = entry.Manifest.Key;
        var replace = _refused.ContainsKey(key);
        if (!replace && Manifests(key).Count > 0) return new RemoteTransfer(RemoteResult.AlreadyThere, Entry: entry);
        if (CacheStore.Verify(entry) is { Count: > 0 } corrupt)
            return new RemoteTransfer(RemoteResult.Refused, Entry: entry, Problem: $"the local entry is corrupt ({string.Join("; ", corrupt)})");
        var bytes = 0L;
        foreach (var file in entry.Manifest.Files.DistinctBy(f => f.Sha256))
        {
            if (!replace && SizeOf(BlobObject(file.Sha256)) == file.Size) continue; // the same bytes, uploaded by another entry or runner
            Put(BlobObject(file.Sha256), entry.PathOf(file.Name));
            bytes += file.Size;
            CrashPoint.Hit("remote-after-file");
        }
        var manifest = $"entries/{key}/{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.json"; // newest last, never overwritten
        Put(_location.ObjectKey(manifest), entry.PathOf(CacheStore.ManifestFile));
        _refused.TryRemove(key, out _);
        return new RemoteTransfer(RemoteResult.Transferred, bytes, clock.Elapsed, entry);
    }

    private IReadOnlyList<(string Key, CacheManifest? Manifest)> ListEntries()
    {
        var entries = _location.ObjectKey("entries/");
        var newest = new SortedDictionary<string, string>(StringComparer.Ordinal); // key → its newest manifest
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = entries };
        do
        {
            var page = _client.ListObjectsV2Async(request).GetAwaiter().GetResult();
            foreach (var name in (page.S3Objects ?? []).Select(o => o.Key).Where(k => k.EndsWith(".json", StringComparison.Ordinal)))
                if (name[entries.Length..].Split('/') is [var key, _] && string.CompareOrdinal(name, newest.GetValueOrDefault(key)) > 0)
                    newest[key] = name;
            request.ContinuationToken = page.NextContinuationToken;
        } while (request.ContinuationToken is not null);
        var manifests = new ConcurrentDictionary<string, CacheManifest?>();
        Parallel.ForEach(newest, new ParallelOptions { MaxDegreeOfParallelism = 8 }, entry =>
        {
            using var response = _client.GetObjectAsync(_location.Bucket, entry.Value).GetAwaiter().GetResult();
            try
            {
                manifests[entry.Key] = JsonSerializer.Deserialize<CacheManifest>(response.ResponseStream, Json.Options);
            }
            catch (JsonException)
            {
                manifests[entry.Key] = null;
            }
        });
        return newest.Keys.Select(k => (k, manifests.GetValueOrDefault(k))).ToList();
    }

    /// <summary>Streams an object into <paramref name="target"/>: null when done; "" when there is no such object; else why it was refused.</summary>
    private string? Download(string objectKey, string target, long maxBytes)
    {
        GetObjectResponse response;
        try
        {
            response = _client.GetObjectAsync(_location.Bucket, objectKey).GetAwaiter().GetResult();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return "";
        }
        using (response)
        using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            try
            {
                while ((read = response.ResponseStream.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > maxBytes) return $"the remote object {objectKey} is longer than the {maxBytes} bytes the manifest lists";
                    file.Write(buffer, 0, read);
                }
            }
            catch (AmazonClientException e) // the SDK checks the body against the object's ETag (MD5)
            {
                return $"the remote object {objectKey} does not match its ETag ({e.Message})";
            }
        }
        return null;
    }

    private void Put(string objectKey, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        // Not chunk-encoded: the body is signed with its SHA-256, which every S3-compatible store understands.
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _location.Bucket, Key = objectKey, InputStream = stream, AutoCloseStream = false, UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        }).GetAwaiter().GetResult();
    }

    /// <summary>The object's size, or null when there is none.</summary>
    private long? SizeOf(string objectKey)
    {
        try
        {
            return _client.GetObjectMetadataAsync(_location.Bucket, objectKey).GetAwaiter().GetResult().ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object keys of the key's manifests (one per upload: a few at most).</summary>
    private List<string> Manifests(string key)
    {
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = _location.ObjectKey($"entries/{key}/") };
        var listing = _client.ListObjectsV2Async(request).GetAwaiter().GetResult();
        return [.. (listing.S3Objects ?? []).Select(o => o.Key).Where(k => k.EndsWith(".json", StringComparison.Ordinal))];
    }
    private string BlobObject(string sha256) => _location.ObjectKey($"cas/{sha256}");

    /// <summary>
    /// Runs one remote operation; the first fault is reported once on the warnings writer, and from then on every operation
    /// gives <paramref name="unavailable"/>.
    /// </summary>
    private T Guard<T>(Func<T> operation, Func<string, T> unavailable)
    {
        if (_down is { } down) return unavailable(down);
        try
        {
            return operation();
        }
        catch (Exception e) // whatever the remote or the SDK does, a run carries on without it
        {
            var reason = _secrets.Redact(Describe(e));
            if (Interlocked.CompareExchange(ref _down, reason, null) is null)
                _warnings.WriteLine($"WARNING remote cache {Name} is unavailable ({reason}); carrying on without it");
            return unavailable(_down!);
        }
    }

    private static string Describe(Exception e)
    {
        if (e is AmazonServiceException { StatusCode: not 0 } service)
            return $"{(int)service.StatusCode} {service.ErrorCode}{(string.IsNullOrEmpty(service.Message) ? "" : $": {service.Message}")}";
        var network = e;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is HttpRequestException or SocketException or TimeoutException) network = inner;
        var message = network.Message.Split('\n')[0].Trim();
        return network is TaskCanceledException ? $"no answer in time ({message})" : message;
    }

    public void Dispose() => _client.Dispose();
}
