using System.Runtime.InteropServices;

namespace Runner.Torch;

/// <summary>
/// Keeps memory that libtorch frees in glibc's heap for reuse instead of handing it back to the kernel. TorchSharp frees
/// a step's tensors together when its dispose scope ends, not one by one as PyTorch does, so with glibc's defaults
/// every step unmaps tens of megabytes and faults them in again on the next (each fault zeroes a page in the kernel).
/// Blocks up to <see cref="MmapThreshold"/> come from the heap, and the heap's free top is never trimmed; the price is
/// that the heap stays at its peak size, except where <see cref="Training.EpochMemory"/> trims it between epochs.
/// </summary>
internal static class HeapRetention
{
    /// <summary>glibc's largest allowed M_MMAP_THRESHOLD on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX).</summary>
    public const int MmapThreshold = 32 << 20;

    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>True when glibc accepted both settings; false elsewhere (another C library, another OS).</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MMmapThreshold, MmapThreshold) == 1 && mallopt(MTrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
