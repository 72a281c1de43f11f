namespace Runner.Core.Cache;

/// <summary>How many entries a remote cache transferred one way, their bytes and the time it took (thread-safe).</summary>
public sealed class RemoteTally
{
    private int _entries;
    private long _bytes;
    private long _ticks;

    public int Entries => _entries;
    public long Bytes => Interlocked.Read(ref _bytes);
    public TimeSpan Time => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>Counts a transfer that moved an entry; returns it.</summary>
    public RemoteTransfer Add(RemoteTransfer transfer)
    {
        if (transfer.Result != RemoteResult.Transferred) return transfer;
        Interlocked.Increment(ref _entries);
        Interlocked.Add(ref _bytes, transfer.Bytes);
        Interlocked.Add(ref _ticks, transfer.Time.Ticks);
        return transfer;
    }
}
