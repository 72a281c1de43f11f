using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Runner.Torch.Timing;

/// <summary>
/// What a reader needs to know about the GPU. TorchSharp 0.107 exposes only whether CUDA and cuDNN are available and
/// the device count: no device name, no CUDA or cuDNN version, no memory statistics. So the name, the driver and the
/// memory the process holds come from <c>nvidia-smi</c>, and the versions from the CUDA runtime and cuDNN libraries
/// libtorch loaded (their own C version calls). Each is null when it cannot be found out.
/// </summary>
internal static class GpuFacts
{
    /// <summary>One <c>nvidia-smi --query-gpu</c> field (e.g. name, driver_version) of CUDA device <paramref name="device"/>.</summary>
    public static string? Query(string field, int device = 0) => NvidiaSmi($"--query-gpu={field} --format=csv,noheader --id={SmiId(device)}");

    /// <summary>
    /// How nvidia-smi names CUDA device <paramref name="device"/>: by its PCI bus id, since nvidia-smi numbers GPUs in PCI order
    /// whatever <c>CUDA_VISIBLE_DEVICES</c> and <c>CUDA_DEVICE_ORDER</c> make of CUDA's numbering; by the index when the bus id is unknown.
    /// </summary>
    private static string SmiId(int device) => PciBusId(device) ?? device.ToString(CultureInfo.InvariantCulture);

    /// <summary>The PCI bus id of CUDA device <paramref name="device"/> (<c>cudaDeviceGetPCIBusId</c>, e.g. 0000:01:00.0), or null.</summary>
    public static string? PciBusId(int device) => Call<CudaDeviceGetPciBusId>("libcudart", "cudaDeviceGetPCIBusId", f =>
    {
        var text = new byte[64];
        return f(text, text.Length, device) == 0 ? System.Text.Encoding.ASCII.GetString(text).TrimEnd('\0') : null;
    });

    /// <summary>Whether two PCI bus ids name one device: nvidia-smi writes an 8-digit domain (00000000:01:00.0), CUDA a 4-digit one.</summary>
    public static bool SameBus(string a, string b)
    {
        static long[]? Parts(string id)
        {
            var parts = id.Trim().Split(':', '.');
            var values = new long[parts.Length];
            for (var i = 0; i < parts.Length; i++)
                if (!long.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out values[i])) return null;
            return parts.Length == 4 ? values : null;
        }
        return Parts(a) is { } x && Parts(b) is { } y && x.SequenceEqual(y);
    }

    /// <summary>
    /// GPU memory this process holds (MB), as nvidia-smi lists it. libtorch's caching allocator keeps what it has
    /// reserved until the process ends, so this is the peak reserved so far plus the CUDA context, not what tensors use now.
    /// </summary>
    /// <remarks>On CUDA device <paramref name="device"/> only (matched by PCI bus id; the process's first GPU when that is unknown).</remarks>
    public static double? ProcessMemoryMb(int device = 0) =>
        ProcessMemoryMb(NvidiaSmi("--query-compute-apps=pid,used_memory,gpu_bus_id --format=csv,noheader,nounits"), Environment.ProcessId,
            PciBusId(device));

    /// <summary>
    /// The memory of process <paramref name="pid"/> on the GPU with bus id <paramref name="bus"/> in nvidia-smi's compute-apps listing.
    /// </summary>
    public static double? ProcessMemoryMb(string? listing, int pid, string? bus)
    {
        var id = pid.ToString(CultureInfo.InvariantCulture);
        var line = listing?.Split('\n').Select(l => l.Split(',', StringSplitOptions.TrimEntries))
            .FirstOrDefault(f => f.Length == 3 && f[0] == id && (bus is null || SameBus(f[2], bus)));
        return line is not null && double.TryParse(line[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) ? mb : null;
    }

    /// <summary>The CUDA runtime libtorch runs on (<c>cudaRuntimeGetVersion</c> of the loaded libcudart), e.g. 12.1.</summary>
    public static string? CudaVersion() =>
        Call<CudaRuntimeGetVersion>("libcudart", "cudaRuntimeGetVersion", f => f(out var v) == 0 ? CudaVersionText(v) : null);

    /// <summary>The cuDNN libtorch loaded (<c>cudnnGetVersion</c>), e.g. 9.1.0.</summary>
    public static string? CudnnVersion() => Call<CudnnGetVersion>("libcudnn", "cudnnGetVersion", f => CudnnVersionText((long)f()));

    /// <summary>cudaRuntimeGetVersion's 1000 × major + 10 × minor.</summary>
    public static string CudaVersionText(int version) => $"{version / 1000}.{version % 1000 / 10}";

    /// <summary>cudnnGetVersion's 10000 × major + 100 × minor + patch from cuDNN 9 on; 1000 × major + 100 × minor + patch before.</summary>
    public static string CudnnVersionText(long version) => version >= 90000
        ? $"{version / 10000}.{version % 10000 / 100}.{version % 100}"
        : $"{version / 1000}.{version % 1000 / 100}.{version % 100}";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CudaRuntimeGetVersion(out int version);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nuint CudnnGetVersion();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CudaDeviceGetPciBusId([Out] byte[] pciBusId, int length, int device);

    /// <summary>Calls an export of a library this process already loaded, found by its file name's stem in /proc/self/maps.</summary>
    private static string? Call<T>(string stem, string export, Func<T, string?> call) where T : Delegate
    {
        var path = LoadedLibrary(stem);
        if (path is null || !NativeLibrary.TryLoad(path, out var handle)) return null;
        try
        {
            return NativeLibrary.TryGetExport(handle, export, out var address) ? call(Marshal.GetDelegateForFunctionPointer<T>(address)) : null;
        }
        finally
        {
            NativeLibrary.Free(handle); // drops only the reference TryLoad added
        }
    }

    /// <summary>The path of a loaded library named <c>STEM.so…</c> or <c>STEM-HASH.so…</c> (how libtorch's bundled copies are named).</summary>
    private static string? LoadedLibrary(string stem)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        return File.ReadLines(maps)
            .Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..] : null)
            .FirstOrDefault(p => p is not null && Path.GetFileName(p) is var name && (name.StartsWith(stem + ".so", StringComparison.Ordinal) || name.StartsWith(stem + "-", StringComparison.Ordinal)
                    && name.Contains(".so", StringComparison.Ordinal)));
    }

    private static string? NvidiaSmi(string arguments)
    {
        try
        {
            using var smi = Process.Start(new ProcessStartInfo("nvidia-smi", arguments) { RedirectStandardOutput = true,
                RedirectStandardError = true });
            var text = smi?.StandardOutput.ReadToEnd().Trim();
            smi?.WaitForExit();
            return smi?.ExitCode == 0 && !string.IsNullOrEmpty(text) ? text : null;
        }
        catch (Win32Exception)
        {
            return null; // no nvidia-smi
        }
    }
}
