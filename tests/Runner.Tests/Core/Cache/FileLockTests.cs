using System.Diagnostics;
using Runner.Core.Cache;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Cache;

/// <summary>The key lock excludes other holders in this process and in other processes, and dies with its holder.</summary>
public sealed class FileLockTests : IDisposable
{
    private readonly TempDir _temp = new();
    private string LockFile => Path.Combine(_temp.Path, "locks", "k.lock");

    public void Dispose() => _temp.Dispose();

    /// <summary>util-linux flock(1): another process, another implementation of the same kernel lock.</summary>
    private static Process Flock(params string[] args)
    {
        var start = new ProcessStartInfo("flock") { RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    [Fact]
    public void A_second_holder_in_this_process_is_refused_until_the_first_lets_go()
    {
        using (var first = FileLock.TryAcquire(LockFile, "first"))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryAcquire(LockFile));
        }
        using var again = FileLock.TryAcquire(LockFile);
        Assert.NotNull(again);
    }

    [Fact]
    public void Another_process_cannot_take_a_lock_this_process_holds()
    {
        using var held = FileLock.TryAcquire(LockFile, "test");
        Assert.NotNull(held);

        using var other = Flock("--nonblock", "--exclusive", LockFile, "true");
        other.WaitForExit();

        Assert.Equal(1, other.ExitCode); // flock -n exits 1 when the lock is taken
    }

    [Fact]
    public void A_lock_another_process_holds_is_refused_and_freed_when_that_process_is_killed()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile)!);
        using var holder = Flock("--exclusive", LockFile, "sleep", "60");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (FileLock.TryAcquire(LockFile) is { } early) // wait until flock has it
        {
            early.Dispose();
            Assert.True(DateTime.UtcNow < deadline, "flock never took the lock");
            Thread.Sleep(20);
        }

        Assert.Null(FileLock.TryAcquire(LockFile));
        holder.Kill(entireProcessTree: true); // SIGKILL, as a crashed run
        holder.WaitForExit();

        using var after = FileLock.Acquire(LockFile, TimeSpan.FromSeconds(5));
        Assert.NotNull(after);
    }
}
