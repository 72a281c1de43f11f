namespace Runner.NativeCompat;

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
