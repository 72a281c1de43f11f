using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Compute;

/// <summary>
/// libtorch's autocast, which TorchSharp does not bind: called through its exported C++ functions (<c>at::autocast::*</c>
/// in libtorch_cpu, Itanium ABI; <c>c10::DeviceType</c> and <c>c10::ScalarType</c> are int8 enums whose values
/// TorchSharp's enums share). Autocast's state is per thread, so a scope is entered and left on the thread that runs
/// the forward pass. Entering and leaving follows <c>torch.autocast</c>: leaving the outermost scope clears autocast's
/// cache of low-precision copies of the weights, so a scope that closes before the backward pass (as
/// <see cref="TrainStep"/>'s does) gives every optimizer step freshly cast weights.
/// </summary>
internal static class Autocast
{
    /// <summary>
    /// Runs eligible operations on <paramref name="device"/> in <paramref name="dtype"/> until the scope is disposed, on this thread.
    /// </summary>
    public static IDisposable Enter(DeviceType device, ScalarType dtype) => new Scope((sbyte)device, (sbyte)dtype);

    /// <summary>Whether autocast is on for <paramref name="device"/> on this thread.</summary>
    public static bool IsEnabled(DeviceType device) => IsAutocastEnabled((sbyte)device);

    private sealed class Scope : IDisposable
    {
        private readonly sbyte _device;
        private readonly bool _wasEnabled;
        private readonly sbyte _previousType;
        private readonly bool _cacheWasEnabled;
        private readonly int _thread = Environment.CurrentManagedThreadId;
        private bool _disposed;

        public Scope(sbyte device, sbyte dtype)
        {
            _device = device;
            _wasEnabled = IsAutocastEnabled(device);
            _previousType = GetAutocastDtype(device);
            _cacheWasEnabled = IsAutocastCacheEnabled();
            SetAutocastEnabled(device, true);
            SetAutocastDtype(device, dtype);
            _ = IncrementNesting();
            SetAutocastCacheEnabled(true);
        }

        public void Dispose()
        {
            if (_disposed) return;
            if (Environment.CurrentManagedThreadId != _thread)
                throw new InvalidOperationException("an autocast scope must be left on the thread that entered it (autocast's state is per thread)");
            _disposed = true;
            if (DecrementNesting() == 0) ClearCache();
            SetAutocastEnabled(_device, _wasEnabled);
            SetAutocastDtype(_device, _previousType);
            SetAutocastCacheEnabled(_cacheWasEnabled);
        }
    }

    private const string Lib = "libtorch_cpu";

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb")]
    private static extern void SetAutocastEnabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool IsAutocastEnabled(sbyte device);

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE")]
    private static extern void SetAutocastDtype(sbyte device, sbyte dtype);

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE")]
    private static extern sbyte GetAutocastDtype(sbyte device);

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast17increment_nestingEv")]
    private static extern int IncrementNesting();

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast17decrement_nestingEv")]
    private static extern int DecrementNesting();

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast11clear_cacheEv")]
    private static extern void ClearCache();

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast26set_autocast_cache_enabledEb")]
    private static extern void SetAutocastCacheEnabled([MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Lib, EntryPoint = "_ZN2at8autocast25is_autocast_cache_enabledEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool IsAutocastCacheEnabled();
}
