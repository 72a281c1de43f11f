using System.Runtime.InteropServices;

namespace Runner.Torch.Compute;

/// <summary>
/// cuDNN's autotuner, <c>torch.backends.cudnn.benchmark</c>: the first convolution of each shape tries cuDNN's algorithms
/// and keeps the fastest. Train and time tasks run fixed shapes (a training epoch adds one more for its last, smaller
/// batch), so the search pays for itself at once. TorchSharp has no binding; this calls libtorch's exported
/// <c>at::Context::setBenchmarkCuDNN</c> (the Context lives in libtorch_cpu in the CUDA build too).
/// </summary>
internal static class CudnnAutotune
{
    public static void Set(bool on) => SetBenchmarkCudnn(GlobalContext(), on);

    public static bool IsOn() => BenchmarkCudnn(GlobalContext());

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context17setBenchmarkCuDNNEb")]
    private static extern void SetBenchmarkCudnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool on);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context14benchmarkCuDNNEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool BenchmarkCudnn(IntPtr context);
}
