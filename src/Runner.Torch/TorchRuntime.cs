using System.Reflection;
using System.Text.Json.Nodes;
using OpenCvSharp;
using Runner.Core.Execution;
using Runner.Core.Machines;
using Runner.NativeCompat;
using Runner.Torch.Timing;
using TorchSharp;

namespace Runner.Torch;

/// <summary>
/// Brings up the native stack in the right order (compat shim, then CUDA before any CPU autograd,
/// then threads) and describes the hardware for timing keys and reports.
/// </summary>
public sealed class TorchRuntime
{
    private TorchRuntime(torch.Device device, CompatReport compat)
    {
        Device = device;
        Compat = compat;
    }

    public torch.Device Device { get; }
    public CompatReport Compat { get; }
    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <param name="device">auto, cpu or cuda.</param>
    /// <param name="threads">Intra-op threads; 0 keeps libtorch's default (one per core).</param>
    public static TorchRuntime Start(string device = "auto", int threads = 0)
    {
        var compat = NativeCompat.NativeCompat.LoadShimIfPresent(AppContext.BaseDirectory);
        HeapRetention.Apply();
        var cuda = device != "cpu" && TryInitializeCuda();
        if (device == "cuda" && !cuda)
            throw new InvalidInputException("--device cuda: no CUDA device is available (is this the CUDA build? build with -p:TorchBackend=cuda)");
        Concurrency.Require("--threads", threads, 0, Concurrency.MaxThreads);
        if (threads > 0) torch.set_num_threads(threads);
        NnpackSwitch.TurnOff();
        return new TorchRuntime(cuda ? torch.CUDA : torch.CPU, compat);
    }

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

    public void Synchronize()
    {
        if (IsCuda) torch.cuda.synchronize();
    }

    /// <summary>The machine this process measures on (device, CPU, threads, versions); read once, on first use.</summary>
    public Machine Machine() => _machine ??= new Machine(
        IsCuda ? "cuda" : "cpu", IsCuda ? GpuFacts.Query("name") ?? "CUDA device" : CpuName(), CpuName(), System.Environment.ProcessorCount,
        torch.get_num_threads(), LibTorchVersion, TorchSharpVersion, Backend)
    {
        Driver = IsCuda ? GpuFacts.Query("driver_version") : null,
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
