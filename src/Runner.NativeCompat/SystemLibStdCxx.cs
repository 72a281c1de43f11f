namespace Runner.NativeCompat;

/// <summary>The libstdc++ this process really uses, and which GLIBCXX versions it defines.</summary>
internal sealed record SystemLibStdCxx(string Path, IReadOnlyList<string> VersionDefinitions)
{
    public const string SoName = "libstdc++.so.6";

    private static readonly string[] WellKnownDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"];

    public bool Defines(string version) => VersionDefinitions.Contains(version);

    /// <summary>Highest GLIBCXX_x.y.z it defines, e.g. "GLIBCXX_3.4.30".</summary>
    public string? HighestGlibcxx => VersionDefinitions
        .Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal))
        .Select(v => (Name: v, Version: System.Version.TryParse(v["GLIBCXX_".Length..], out var parsed) ? parsed : null))
        .Where(v => v.Version is not null)
        .MaxBy(v => v.Version)
        .Name;

    /// <summary>Locates libstdc++ and reads its version definitions.</summary>
    /// <exception cref="FileNotFoundException">No libstdc++.so.6 found.</exception>
    public static SystemLibStdCxx Find()
    {
        var path = Locate() ?? throw new FileNotFoundException(
            $"{SoName} not found (not mapped into this process, not loadable with dlopen, not in {string.Join(", ", WellKnownDirectories)}).");
        return new SystemLibStdCxx(path, ElfVersionInfo.ReadVersionDefinitions(path));
    }

    /// <summary>
    /// Path of libstdc++.so.6: the one mapped into this process (the .NET host links it), else what
    /// dlopen finds, else the first well-known directory that has it. Null if none.
    /// </summary>
    public static string? Locate() => FromProcMaps() ?? FromDlopen() ?? FromWellKnownDirectories();

    internal static string? FromProcMaps(string mapsPath = "/proc/self/maps")
    {
        if (!File.Exists(mapsPath)) return null;
        foreach (var line in File.ReadLines(mapsPath))
        {
            // address perms offset dev inode [path]; the path may contain spaces, so take from the first '/'.
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            if (System.IO.Path.GetFileName(path).StartsWith(SoName, StringComparison.Ordinal) && File.Exists(path))
                return path;
        }
        return null;
    }

    internal static string? FromDlopen()
    {
        try
        {
            // RTLD_NOLOAD first: prefer the copy that is already loaded.
            nint handle;
            try { handle = Dl.Open(SoName, Dl.RtldLazy | Dl.RtldNoload); }
            catch (DllNotFoundException) { handle = Dl.Open(SoName, Dl.RtldLazy); }
            var path = Dl.LoadedPath(handle);
            return path is not null && File.Exists(path) ? System.IO.Path.GetFullPath(path) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static string? FromWellKnownDirectories() => WellKnownDirectories
        .Select(dir => System.IO.Path.Combine(dir, SoName))
        .FirstOrDefault(File.Exists);
}
