namespace Runner.Core.Cache;

/// <summary>
/// A cache shared by several runner homes (<c>RUNNER_REMOTE=s3://BUCKET/PREFIX</c>), as the engine sees it: look an
/// entry up, fetch it into the local cache, upload one. No call throws: a remote that fails (unreachable, throttling,
/// 5xx, refused credentials) is reported once and then treated as absent, so a run carries on with the local cache.
/// </summary>
public interface IRemoteCache
{
    /// <summary>Where it is, for messages (<c>s3://BUCKET/PREFIX</c>; never a credential).</summary>
    string Name { get; }

    /// <summary>Whether the remote holds a complete entry for <paramref name="key"/> (false while it is unavailable).</summary>
    bool Has(string key);

    /// <summary>
    /// Downloads <paramref name="key"/>'s entry, checks it as <c>cache import</c> checks an archive's entries and seals it
    /// into <paramref name="local"/>. The caller holds the key's lock.
    /// </summary>
    RemoteTransfer Fetch(string key, CacheStore local);

    /// <summary>Uploads an entry the remote lacks (files first, its manifest last); idempotent.</summary>
    RemoteTransfer Upload(CacheEntry entry);
}
