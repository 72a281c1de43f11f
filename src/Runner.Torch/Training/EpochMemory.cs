using System.Runtime.InteropServices;

namespace Runner.Torch.Training;

/// <summary>
/// Between epochs, hands memory the epoch freed back to the operating system, so the resident set size recorded per
/// epoch tracks what is still live: the .NET GC otherwise holds a young generation sized to the CPU cache, and glibc
/// keeps libtorch's freed blocks on its free lists; both look like growth though neither is a leak.
/// </summary>
internal static class EpochMemory
{
    /// <summary>Collects, runs finalizers (tensors that escaped a dispose scope) and trims the native heap; returns the RSS in MB.</summary>
    public static double ReleaseAndMeasure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TrimNativeHeap();
        return Environment.WorkingSet / (1024.0 * 1024.0);
    }

    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = malloc_trim(0); } // returns whether memory was released, not an error code
        catch (EntryPointNotFoundException) { } // not glibc (e.g. musl): nothing to trim
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
