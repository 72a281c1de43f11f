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

/// <summary>Outcome of <see cref="NativeCompat"/>'s operations, with a one-line human description.</summary>
/// <param name="Case">Which situation applies.</param>
/// <param name="Message">One line, for build output, logs and <c>runner doctor</c>.</param>
/// <param name="TorchSharpLibrary">libLibTorchSharp.so in the examined folder (null if not relevant).</param>
/// <param name="ShimLibrary">libglibcxx_compat.so in the examined folder (null if not relevant).</param>
/// <param name="SystemLibStdCxx">The libstdc++ the process uses (null if not examined).</param>
public sealed record CompatReport(
    CompatCase Case,
    string Message,
    string? TorchSharpLibrary = null,
    string? ShimLibrary = null,
    string? SystemLibStdCxx = null)
{
    public override string ToString() => Message;
}
