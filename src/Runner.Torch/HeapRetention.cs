using System.Runtime.InteropServices;

namespace Runner.Torch;

/// <summary>
/// Keeps memory that libtorch frees in glibc's heap for reuse instead of handing it back to the kernel. TorchSharp frees
/// a step's tensors together when its dispose scope ends, not one by one as PyTorch does, so with glibc's defaults
/// every step unmaps its large blocks and faults them in again on the next (each fault zeroes a page in the kernel).
/// Here no block is mapped on its own (M_MMAP_MAX 0: even activations of 100 MB come from the heap) and the heap's free
/// top is never trimmed. The price is a heap at its peak size, except where <see cref="Training.EpochMemory"/> trims it
/// between epochs: mobilenet_v2 at 128 px, batch 64, peaks 0.8 GB higher (3.5 GB) and trains 30-40 % faster, with
/// 34 thousand page faults an epoch instead of 0.4-0.6 million (bench/results/2026-12-04-epoch.md).
/// </summary>
internal static class HeapRetention
{
    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;

    /// <summary>True when glibc accepted both settings; false elsewhere (another C library, another OS).</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MMmapMax, 0) == 1 && mallopt(MTrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
