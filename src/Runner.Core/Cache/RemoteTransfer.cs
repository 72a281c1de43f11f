namespace Runner.Core.Cache;

/// <summary>What one fetch or upload of an entry did.</summary>
/// <param name="Entry">The local entry (fetched and sealed, or the one uploaded).</param>
/// <param name="Problem">Why the remote's entry was refused, or why the remote is unavailable.</param>
public sealed record RemoteTransfer(RemoteResult Result, long Bytes = 0, TimeSpan Time = default, CacheEntry? Entry = null, string? Problem = null);

public enum RemoteResult
{
    /// <summary>Fetched into the local cache, or uploaded.</summary>
    Transferred,
    /// <summary>Upload: the remote already has the entry.</summary>
    AlreadyThere,
    /// <summary>Fetch: the remote has no entry for the key.</summary>
    Absent,
    /// <summary>Fetch: the remote's entry failed its checks (corrupt, truncated, or naming files outside itself); nothing was kept.
    /// Upload: the local entry failed them, so it was not uploaded.</summary>
    Refused,
    /// <summary>The remote could not be reached or answered with an error (reported once); nothing changed.</summary>
    Unavailable,
}
