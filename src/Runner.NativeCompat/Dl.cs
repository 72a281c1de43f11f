using System.Runtime.InteropServices;

namespace Runner.NativeCompat;

/// <summary>
/// dlopen/dlerror/dlinfo from glibc. They live in libc.so.6 since glibc 2.34 and in libdl.so.2 before;
/// resolved by hand so that either works.
/// </summary>
internal static unsafe class Dl
{
    public const int RtldLazy = 0x001;
    public const int RtldNow = 0x002;
    public const int RtldNoload = 0x004;
    public const int RtldGlobal = 0x100;
    private const int RtldDiLinkmap = 2;

    private static readonly Lazy<Api> Functions = new(Resolve);

    private sealed class Api(nint open, nint error, nint info)
    {
        public readonly delegate* unmanaged<byte*, int, nint> Open = (delegate* unmanaged<byte*, int, nint>)open;
        public readonly delegate* unmanaged<nint> Error = (delegate* unmanaged<nint>)error;
        public readonly delegate* unmanaged<nint, int, void*, int> Info = (delegate* unmanaged<nint, int, void*, int>)info;
    }

    /// <summary>dlopen(path, flags); throws with dlerror() text on failure.</summary>
    public static nint Open(string? path, int flags)
    {
        var api = Functions.Value;
        nint handle;
        if (path is null)
            handle = api.Open(null, flags);
        else
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = bytes) handle = api.Open(p, flags);
        }
        if (handle == 0)
            throw new DllNotFoundException($"dlopen({path ?? "NULL"}) failed: {LastError() ?? "unknown error"}");
        return handle;
    }

    /// <summary>Path of a loaded library as the dynamic loader recorded it (link_map.l_name), or null.</summary>
    public static string? LoadedPath(nint handle)
    {
        var api = Functions.Value;
        if (api.Info == null) return null;
        nint linkMap = 0;
        if (api.Info(handle, RtldDiLinkmap, &linkMap) != 0 || linkMap == 0) return null;
        // struct link_map { ElfW(Addr) l_addr; char *l_name; ... }
        nint name = ((nint*)linkMap)[1];
        var path = Marshal.PtrToStringUTF8(name);
        return string.IsNullOrEmpty(path) ? null : path;
    }

    private static string? LastError()
    {
        nint message = Functions.Value.Error();
        return message == 0 ? null : Marshal.PtrToStringUTF8(message);
    }

    private static Api Resolve()
    {
        foreach (var name in new[] { "libc.so.6", "libdl.so.2" })
        {
            if (!NativeLibrary.TryLoad(name, out var lib)) continue;
            if (NativeLibrary.TryGetExport(lib, "dlopen", out var open) &&
                NativeLibrary.TryGetExport(lib, "dlerror", out var error))
            {
                NativeLibrary.TryGetExport(lib, "dlinfo", out var info);
                return new Api(open, error, info);
            }
        }
        throw new PlatformNotSupportedException("dlopen not found in libc.so.6 or libdl.so.2 (glibc Linux required).");
    }
}
