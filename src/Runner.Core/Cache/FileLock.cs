namespace Runner.Core.Cache;

/// <summary>
/// An exclusive lock on a file, held across processes: .NET opens a file with <see cref="FileShare.None"/> under
/// flock(LOCK_EX) on Linux, so a second opener — in this process or another — is refused until the first disposes
/// it (or dies: the kernel releases the lock with the process). Advisory: only runners that take it are excluded.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The lock, or null at once when someone else holds it.</summary>
    /// <param name="holder">Written into the lock file for whoever looks (pid, what it does).</param>
    public static FileLock? TryAcquire(string path, string holder = "")
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return null;
        }
        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write($"{Environment.ProcessId} {holder}\n");
        stream.Flush();
        return new FileLock(stream, path);
    }

    /// <summary>Waits (polling) until the lock is free or <paramref name="timeout"/> passes, then throws.</summary>
    public static FileLock Acquire(string path, TimeSpan timeout, string holder = "")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryAcquire(path, holder) is { } acquired) return acquired;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} stayed locked by another process for {timeout.TotalSeconds:0} s");
            Thread.Sleep(50);
        }
    }

    /// <summary>EWOULDBLOCK from flock (another holder), as opposed to a real I/O failure such as a read-only folder.</summary>
    private static bool IsHeldElsewhere(IOException e) => e.GetType() == typeof(IOException) && e.HResult is 11 or 35 or unchecked((int)0x80070020);

    public void Dispose() => _stream.Dispose();
}
