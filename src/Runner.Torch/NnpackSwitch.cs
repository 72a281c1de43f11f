using System.Runtime.InteropServices;

namespace Runner.Torch;

/// <summary>
/// Turns libtorch's NNPACK convolutions off, as <c>torch.backends.nnpack.set_flags(False)</c> does. libtorch asks NNPACK
/// for every small-batch CPU convolution it does not give to oneDNN, and on a CPU that NNPACK's bundled cpuinfo does not
/// know (recent AMD EPYC, for one) each ask logs "Could not initialize NNPACK! Reason: Unsupported hardware." before
/// falling back: thousands of lines in one quickstart. Off everywhere, so the same convolution kernels run on every CPU.
/// TorchSharp has no binding for the flag, so this calls libtorch's C++ symbols (x86-64/arm64 Itanium ABI).
/// </summary>
internal static class NnpackSwitch
{
    /// <summary>Does nothing where the symbols are missing (another libtorch build): NNPACK then stays as libtorch set it.</summary>
    public static void TurnOff()
    {
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    public static bool IsOn() => UserEnabledNnpack(GlobalContext());

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);
}
