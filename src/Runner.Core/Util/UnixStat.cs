using System.Runtime.InteropServices;

namespace Runner.Core.Util;

/// <summary>
/// stat(2) on Linux, which .NET does not expose: a file's type (regular, FIFO, device…), size, times, device and inode.
/// <c>struct stat</c> on x86_64 and aarch64 Linux: st_dev at 0, st_ino at 8, st_size at 48, st_mtim at 88 (s) / 96 (ns),
/// st_ctim at 104 / 112; st_mode at 24 (x86_64) or 16 (aarch64).
/// </summary>
internal readonly record struct UnixStat(int Mode, long Size, long ModifiedNs, long ChangedNs, ulong Device, ulong Inode)
{
    private const int TypeMask = 0xF000, RegularFile = 0x8000;

    public bool IsRegularFile => (Mode & TypeMask) == RegularFile;

    /// <summary>The file's status (symbolic links followed), or null when it does not exist or this is not Linux.</summary>
    public static UnixStat? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[256];
        if (Stat(System.Text.Encoding.UTF8.GetBytes(path + "\0"), buffer) != 0) return null;
        return new UnixStat(BitConverter.ToInt32(buffer, RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16),
            BitConverter.ToInt64(buffer, 48), Nanoseconds(buffer, 88), Nanoseconds(buffer, 104),
            BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

    private static long Nanoseconds(byte[] stat, int offset) =>
        BitConverter.ToInt64(stat, offset) * 1_000_000_000 + BitConverter.ToInt64(stat, offset + 8);

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat(byte[] nulTerminatedUtf8Path, byte[] buffer);
}
