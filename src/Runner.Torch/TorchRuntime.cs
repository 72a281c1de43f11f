using System.Reflection;
using System.Text.Json.Nodes;
using OpenCvSharp;
using Runner.Core.Execution;
using Runner.Core.Machines;
using Runner.Core.Results;
using Runner.NativeCompat;
using Runner.Torch.Compute;
using Runner.Torch.Devices;
using Runner.Torch.Timing;
using TorchSharp;

namespace Runner.Torch;

/// <summary>
/// Brings up the native stack in the right order (compat shim, then CUDA before any CPU autograd,
/// then threads) and describes the hardware for timing keys and reports.
/// </summary>
public sealed class TorchRuntime
{
    private TorchRuntime(torch.Device device, CompatReport compat, IReadOnlyList<int> devices)
    {
        Device = device;
        Compat = compat;
        Devices = devices;
    }

    /// <summary>The first device of <see cref="Devices"/>: where timing and everything outside the task graph run.</summary>
    public torch.Device Device { get; }
    public CompatReport Compat { get; }
    public bool IsCuda => Device.type == DeviceType.CUDA;
    /// <summary>The CUDA devices tasks may use (<c>--devices</c>), or [0] standing for the CPU.</summary>
    public IReadOnlyList<int> Devices { get; }

    /// <param name="device">auto, cpu or cuda.</param>
    /// <param name="threads">Intra-op threads; 0 keeps libtorch's default (one per core).</param>
    /// <param name="devices"><c>--devices</c>: all, or CUDA indices such as 0,2,3.</param>
    public static TorchRuntime Start(string device = "auto", int threads = 0, string devices = DeviceSelection.All)
    {
        var compat = NativeCompat.NativeCompat.LoadShimIfPresent(AppContext.BaseDirectory);
        HeapRetention.Apply();
        var cuda = device != "cpu" && TryInitializeCuda();
        if (device == "cuda" && !cuda)
            throw new InvalidInputException("--device cuda: no CUDA device is available (is this the CUDA build? build with -p:TorchBackend=cuda)");
        Concurrency.Require("--threads", threads, 0, Concurrency.MaxThreads);
        if (threads > 0) torch.set_num_threads(threads);
        NnpackSwitch.TurnOff();
        var selected = DeviceSelection.Parse(devices, cuda ? torch.cuda.device_count() : 0);
        if (cuda) CudnnAutotune.Set(true); // train and time tasks run fixed shapes
        return new TorchRuntime(cuda ? torch.device(DeviceType.CUDA, selected[0]) : torch.CPU, compat, selected);
    }

    /// <summary>The device the scheduler gave <paramref name="context"/>'s task (the CPU off CUDA).</summary>
    public torch.Device DeviceOf(TaskContext context) =>
        IsCuda && context.DeviceIndex is { } index ? torch.device(DeviceType.CUDA, index) : Device;

    /// <summary>The GPU behind <paramref name="device"/>, for results; null on the CPU.</summary>
    public static GpuInfo? Gpu(torch.Device device) =>
        device.type == DeviceType.CUDA ? new GpuInfo(Math.Max(0, device.index), GpuFacts.Query("name", Math.Max(0, device.index))) : null;

    /// <summary>CUDA must come up before any CPU autograd, or it stays off for the process (TorchSharp #1198).</summary>
    private static bool TryInitializeCuda()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            return torch.cuda.is_available();
        }
        catch (InvalidOperationException)
        {
            return false; // the CPU build of libtorch
        }
    }

    public static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
    public static string LibTorchVersion => torch.__version__ ?? "unknown";
    public static string OpenCvVersion => Cv2.GetVersionString() ?? "unknown";

    public void Synchronize() => Synchronize(Device);

    public static void Synchronize(torch.Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }

    /// <summary>
    /// The machine this process measures on (device, CPU, threads, versions; the GPU is the first of <see cref="Devices"/>,
    /// where time tasks run); read once, on first use.
    /// </summary>
    public Machine Machine() => _machine ??= new Machine(
        IsCuda ? "cuda" : "cpu", IsCuda ? GpuFacts.Query("name", Devices[0]) ?? "CUDA device" : CpuName(), CpuName(),
        System.Environment.ProcessorCount, torch.get_num_threads(), LibTorchVersion, TorchSharpVersion, Backend)
    {
        Driver = IsCuda ? GpuFacts.Query("driver_version", Devices[0]) : null,
        Cuda = IsCuda ? GpuFacts.CudaVersion() : null,
        Cudnn = IsCuda ? GpuFacts.CudnnVersion() : null,
    };

    private Machine? _machine;

    /// <summary>What makes timings comparable: the <see cref="Machine"/> record, part of every time task's key, never of a train key.</summary>
    public JsonObject HardwareFingerprint() => Machine().ToJson();

    /// <summary>The libtorch build this binary was made with (<c>-p:TorchBackend</c>): <c>cpu</c> or <c>cuda</c>.</summary>
    public static string Backend => typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "unknown";

    private static string CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var model = File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
