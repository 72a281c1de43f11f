namespace Runner.NativeCompat;

/// <summary>
/// Makes TorchSharp's libLibTorchSharp.so (linked with GCC 13) load where the system libstdc++ stops
/// before GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04). The only symbol it uses from that version is
/// std::ios_base_library_init(), an empty function. At build time <see cref="Prepare"/> marks that
/// version need weak in the output folder's copy of the library and compiles a shim defining the
/// function; at run time <see cref="LoadShimIfPresent"/> loads the shim globally before TorchSharp.
/// Where the system libstdc++ is new enough, nothing is changed.
/// </summary>
public static class NativeCompat
{
    public const string TorchSharpLibraryName = "libLibTorchSharp.so";
    public const string ShimLibraryName = "libglibcxx_compat.so";
    public const string RequiredVersion = "GLIBCXX_3.4.32";

    private static readonly HashSet<string> LoadedShims = new(StringComparer.Ordinal);

    /// <summary>
    /// Build time: brings <paramref name="outputDir"/> into the right state for this machine. Idempotent
    /// and cheap when nothing needs doing (it runs on every build).
    /// </summary>
    /// <exception cref="InvalidOperationException">g++ is missing or fails.</exception>
    public static CompatReport Prepare(string outputDir, string shimSourcePath)
    {
        if (!OperatingSystem.IsLinux())
            return new CompatReport(CompatCase.NotApplicable, "not Linux: nothing to do");

        var (lib, shim) = PathsIn(outputDir);
        if (!File.Exists(lib))
            return new CompatReport(CompatCase.NotApplicable, $"no {TorchSharpLibraryName} in {Path.GetDirectoryName(lib)}: nothing to do");

        var need = FindNeed(lib);
        var system = SystemLibStdCxx.Find();
        if (need is null || system.Defines(RequiredVersion))
        {
            bool removed = DeleteIfExists(shim);
            var report = need is null ? NotNeeded(lib, system) : Sufficient(lib, system);
            return removed ? report with { Message = $"{report.Message} (removed stale {shim})" } : report;
        }

        var actions = new List<string>();
        if (ShimCompiler.IsStale(shimSourcePath, shim))
        {
            ShimCompiler.Compile(shimSourcePath, shim);
            actions.Add($"compiled {ShimLibraryName}");
        }
        if (!need.IsWeak)
        {
            // Keep the copy's timestamp: MSBuild's incremental copy compares size and time, so the
            // patched copy then stays in place instead of being replaced by the original every build.
            var time = File.GetLastWriteTimeUtc(lib);
            ElfVersionInfo.MarkVersionNeedWeak(lib, RequiredVersion);
            File.SetLastWriteTimeUtc(lib, time);
            actions.Add($"marked {RequiredVersion} need weak in {lib}");
        }
        var patched = Patched(lib, shim, system);
        return patched with
        {
            Message = $"{patched.Message} ({(actions.Count == 0 ? "already in place" : string.Join(", ", actions))})",
        };
    }

    /// <summary>
    /// Run time, before TorchSharp's first call: loads <c>appDir/libglibcxx_compat.so</c> with
    /// RTLD_NOW|RTLD_GLOBAL if the build put it there. Safe to call more than once.
    /// </summary>
    /// <exception cref="DllNotFoundException">The shim exists but dlopen fails (message has dlerror()'s text).</exception>
    public static CompatReport LoadShimIfPresent(string appDir)
    {
        if (!OperatingSystem.IsLinux())
            return new CompatReport(CompatCase.NotApplicable, "not Linux: no shim to load");

        var (lib, shim) = PathsIn(appDir);
        if (!File.Exists(shim))
            return new CompatReport(CompatCase.NotApplicable, $"no {ShimLibraryName} in {Path.GetDirectoryName(shim)}: nothing to load", lib);

        lock (LoadedShims)
        {
            if (LoadedShims.Add(shim))
            {
                try { Dl.Open(shim, Dl.RtldNow | Dl.RtldGlobal); }
                catch { LoadedShims.Remove(shim); throw; }
            }
        }
        return new CompatReport(CompatCase.Patched, $"loaded {shim} (RTLD_NOW|RTLD_GLOBAL)", lib, shim);
    }

    /// <summary>For <c>runner doctor</c>: which case applies to <paramref name="appDir"/> on this machine.</summary>
    public static CompatReport Describe(string appDir)
    {
        if (!OperatingSystem.IsLinux())
            return new CompatReport(CompatCase.NotApplicable, "not Linux: no libstdc++ compatibility needed");

        var (lib, shim) = PathsIn(appDir);
        if (!File.Exists(lib))
            return new CompatReport(CompatCase.NotApplicable, $"no {TorchSharpLibraryName} in {Path.GetDirectoryName(lib)}");

        var need = FindNeed(lib);
        var system = SystemLibStdCxx.Find();
        if (need is null) return NotNeeded(lib, system);
        if (system.Defines(RequiredVersion)) return Sufficient(lib, system);

        bool shimPresent = File.Exists(shim);
        if (need.IsWeak && shimPresent) return Patched(lib, shim, system);

        var missing = new List<string>();
        if (!need.IsWeak) missing.Add($"{TorchSharpLibraryName} still needs {RequiredVersion} strictly");
        if (!shimPresent) missing.Add($"{ShimLibraryName} missing");
        return new CompatReport(CompatCase.Broken,
            $"system libstdc++ {system.Path} stops at {system.HighestGlibcxx}: compat needed but not applied in " +
            $"{Path.GetDirectoryName(lib)} ({string.Join(", ", missing)}): rebuild with ./runner or dotnet build",
            lib, shim, system.Path);
    }

    private static (string Library, string Shim) PathsIn(string dir)
    {
        dir = Path.GetFullPath(dir);
        return (Path.Combine(dir, TorchSharpLibraryName), Path.Combine(dir, ShimLibraryName));
    }

    /// <summary>The library's need of GLIBCXX_3.4.32 from libstdc++.so.6, or null if it has none.</summary>
    private static ElfVersionNeedEntry? FindNeed(string lib) => ElfVersionInfo.ReadVersionNeeds(lib)
        .Where(n => n.FileName == SystemLibStdCxx.SoName)
        .SelectMany(n => n.Versions)
        .FirstOrDefault(v => v.Name == RequiredVersion);

    private static CompatReport NotNeeded(string lib, SystemLibStdCxx system) => new(CompatCase.NotApplicable,
        $"{lib} does not need {RequiredVersion}: TorchSharp used unmodified", lib, null, system.Path);

    private static CompatReport Sufficient(string lib, SystemLibStdCxx system) => new(CompatCase.SystemSufficient,
        $"system libstdc++ {system.Path} provides {RequiredVersion}: TorchSharp used unmodified", lib, null, system.Path);

    private static CompatReport Patched(string lib, string shim, SystemLibStdCxx system) => new(CompatCase.Patched,
        $"system libstdc++ {system.Path} stops at {system.HighestGlibcxx}: patched {TorchSharpLibraryName} " +
        $"({RequiredVersion} need marked weak) + shim {ShimLibraryName}", lib, shim, system.Path);

    private static bool DeleteIfExists(string path)
    {
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }
}
