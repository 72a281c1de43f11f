namespace Runner.NativeCompat;

/// <summary>Which situation applies to TorchSharp's native library on this machine.</summary>
public enum CompatCase
{
    /// <summary>Nothing to do here: not Linux, no libLibTorchSharp.so, it does not need GLIBCXX_3.4.32, or no shim to load.</summary>
    NotApplicable,
    /// <summary>The system libstdc++ defines GLIBCXX_3.4.32: TorchSharp is used unmodified.</summary>
    SystemSufficient,
    /// <summary>The system libstdc++ is older: the need is marked weak and the shim is present (or loaded).</summary>
    Patched,
    /// <summary>The system libstdc++ is older but the patch or the shim is missing: loading TorchSharp will fail.</summary>
    Broken,
}
