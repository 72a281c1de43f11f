using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Runner.Torch.Data;

/// <summary>Spans over native memory (a memory-mapped view, an OpenCV Mat) without compiling the project as unsafe.</summary>
internal static class RawSpan
{
    public static Span<byte> Of(IntPtr address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfZero(address);
        return MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), address), length);
    }
}
