using System.Buffers.Binary;

namespace Runner.Tests.NativeCompat;

// Inside namespace Runner.*, a bare `NativeCompat` would mean the namespace Runner.NativeCompat.
using Runner.NativeCompat;
using NativeCompat = Runner.NativeCompat.NativeCompat;

/// <summary>ELF version reading/patching and the build's libstdc++ compatibility step (src/Runner.NativeCompat).</summary>
public sealed class NativeCompatTests : IDisposable
{
    private const string Glibcxx32 = "GLIBCXX_3.4.32";
    private readonly string _temp = Directory.CreateTempSubdirectory("nativecompat-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Reads_needs_and_marks_only_the_GLIBCXX_3_4_32_need_weak()
    {
        var lib = CopyOfOriginalTorchSharpLibrary();
        var before = ElfVersionInfo.ReadVersionNeeds(lib);
        var bytesBefore = File.ReadAllBytes(lib);

        var libstdcxx = Assert.Single(before, n => n.FileName == "libstdc++.so.6");
        var need = Assert.Single(libstdcxx.Versions, v => v.Name == Glibcxx32);
        Assert.False(need.IsWeak);
        Assert.Contains(before, n => n.FileName == "libc.so.6");

        Assert.True(ElfVersionInfo.MarkVersionNeedWeak(lib, Glibcxx32));

        var after = ElfVersionInfo.ReadVersionNeeds(lib);
        var bytesAfter = File.ReadAllBytes(lib);
        Assert.Equal(bytesBefore.Length, bytesAfter.Length);
        Assert.Equal(before.Select(n => n.FileName), after.Select(n => n.FileName));
        foreach (var (b, a) in before.Zip(after))
            foreach (var (vb, va) in b.Versions.Zip(a.Versions, (x, y) => (x, y)))
                Assert.Equal(vb.Name == Glibcxx32 ? vb with { Flags = (ushort)(vb.Flags | 0x2) } : vb, va);
        Assert.True(after.Single(n => n.FileName == "libstdc++.so.6").Versions.Single(v => v.Name == Glibcxx32).IsWeak);

        // Only the two flag bytes of that Vernaux entry differ.
        var changed = Enumerable.Range(0, bytesBefore.Length).Where(i => bytesBefore[i] != bytesAfter[i]).ToList();
        Assert.Equal([need.Offset + 4], changed.Select(i => (long)i));

        // Idempotent: a second call reports no change and leaves the bytes alone.
        Assert.False(ElfVersionInfo.MarkVersionNeedWeak(lib, Glibcxx32));
        Assert.Equal(bytesAfter, File.ReadAllBytes(lib));
    }

    [Fact]
    public void Marking_a_version_the_library_does_not_need_fails_clearly()
    {
        var lib = CopyOfOriginalTorchSharpLibrary();
        var e = Assert.Throws<InvalidOperationException>(() => ElfVersionInfo.MarkVersionNeedWeak(lib, "GLIBCXX_9.9.9"));
        Assert.Contains("GLIBCXX_9.9.9", e.Message);
    }

    [Fact]
    public void Finds_the_system_libstdcxx_and_reads_its_version_definitions()
    {
        var system = SystemLibStdCxx.Find();

        Assert.True(File.Exists(system.Path), system.Path);
        Assert.StartsWith("libstdc++.so.6", Path.GetFileName(system.Path));
        Assert.Contains("GLIBCXX_3.4", system.VersionDefinitions);
        Assert.Contains("GLIBCXX_3.4.30", system.VersionDefinitions); // Debian 12 has up to 3.4.30; newer systems more
        Assert.DoesNotContain("libstdc++.so.6", system.VersionDefinitions); // the base (soname) entry is not a version
        Assert.NotNull(system.HighestGlibcxx);
    }

    [Fact]
    public void The_process_maps_name_the_libstdcxx_the_host_loaded()
    {
        var mapped = SystemLibStdCxx.FromProcMaps();
        Assert.NotNull(mapped);
        Assert.Equal(mapped, SystemLibStdCxx.Locate());
    }

    [Fact]
    public void Non_ELF_input_gives_a_clear_error()
    {
        var text = Path.Combine(_temp, "not-a-library.so");
        File.WriteAllText(text, "this is plain text, long enough to hold an ELF header if it were one....");
        var empty = Path.Combine(_temp, "empty.so");
        File.WriteAllBytes(empty, []);

        var e1 = Assert.Throws<InvalidDataException>(() => ElfVersionInfo.ReadVersionNeeds(text));
        Assert.Contains("not an ELF file", e1.Message);
        Assert.Contains(text, e1.Message);
        var e2 = Assert.Throws<InvalidDataException>(() => ElfVersionInfo.ReadVersionDefinitions(empty));
        Assert.Contains("not an ELF file", e2.Message);
        Assert.Throws<InvalidDataException>(() => ElfVersionInfo.MarkVersionNeedWeak(text, Glibcxx32));
        Assert.Throws<FileNotFoundException>(() => ElfVersionInfo.ReadVersionNeeds(Path.Combine(_temp, "missing.so")));
    }

    [Fact]
    public void Build_left_the_test_output_folder_in_the_state_this_system_needs()
    {
        var dir = AppContext.BaseDirectory;
        var lib = Path.Combine(dir, NativeCompat.TorchSharpLibraryName);
        var shim = Path.Combine(dir, NativeCompat.ShimLibraryName);
        Assert.True(File.Exists(lib), $"{lib} missing: TorchSharp natives not flattened into the test output?");

        var need = ElfVersionInfo.ReadVersionNeeds(lib).SelectMany(n => n.Versions).Single(v => v.Name == Glibcxx32);
        var report = NativeCompat.Describe(dir);
        if (SystemLibStdCxx.Find().Defines(Glibcxx32))
        {
            Assert.False(File.Exists(shim), $"{shim} should not exist where libstdc++ provides {Glibcxx32}");
            Assert.Equal(CompatCase.SystemSufficient, report.Case);
        }
        else
        {
            Assert.True(File.Exists(shim), $"{shim} missing");
            Assert.True(need.IsWeak, $"{Glibcxx32} need in {lib} not marked weak");
            Assert.Equal(CompatCase.Patched, report.Case);
            Assert.Contains("stops at GLIBCXX_", report.Message);
        }
    }

    [Fact]
    public void Prepare_is_idempotent_and_matches_the_system()
    {
        var lib = CopyOfOriginalTorchSharpLibrary();
        var shim = Path.Combine(_temp, NativeCompat.ShimLibraryName);
        var source = ShimSource();
        // A shim newer than its source is reused, so this test does not spend time in g++.
        var builtShim = Path.Combine(AppContext.BaseDirectory, NativeCompat.ShimLibraryName);
        File.Copy(File.Exists(builtShim) ? builtShim : lib, shim);
        File.SetLastWriteTimeUtc(shim, File.GetLastWriteTimeUtc(source).AddMinutes(1));
        var originalTime = File.GetLastWriteTimeUtc(lib);

        var first = NativeCompat.Prepare(_temp, source);
        var bytes = File.ReadAllBytes(lib);
        var second = NativeCompat.Prepare(_temp, source);

        Assert.Equal(first.Case, second.Case);
        Assert.Equal(bytes, File.ReadAllBytes(lib));
        Assert.Equal(originalTime, File.GetLastWriteTimeUtc(lib)); // kept, so MSBuild's incremental copy skips it
        var need = ElfVersionInfo.ReadVersionNeeds(lib).SelectMany(n => n.Versions).Single(v => v.Name == Glibcxx32);
        if (SystemLibStdCxx.Find().Defines(Glibcxx32))
        {
            Assert.Equal(CompatCase.SystemSufficient, first.Case);
            Assert.False(File.Exists(shim)); // stale shim removed
            Assert.False(need.IsWeak);       // library untouched
        }
        else
        {
            Assert.Equal(CompatCase.Patched, first.Case);
            Assert.Contains("already in place", second.Message);
            Assert.True(need.IsWeak);
            Assert.True(File.Exists(shim));
            Assert.Equal(CompatCase.Patched, NativeCompat.Describe(_temp).Case);
        }
    }

    [Fact]
    public void Describe_reports_a_folder_that_needs_the_patch_but_lacks_it_as_broken()
    {
        CopyOfOriginalTorchSharpLibrary();
        var report = NativeCompat.Describe(_temp);
        if (SystemLibStdCxx.Find().Defines(Glibcxx32))
            Assert.Equal(CompatCase.SystemSufficient, report.Case);
        else
        {
            Assert.Equal(CompatCase.Broken, report.Case);
            Assert.Contains("rebuild", report.Message);
        }
    }

    [Fact]
    public void Loading_the_shim_works_twice_and_is_a_no_op_without_one()
    {
        Assert.Equal(CompatCase.NotApplicable, NativeCompat.LoadShimIfPresent(_temp).Case);
        Assert.Equal(CompatCase.NotApplicable, NativeCompat.Describe(_temp).Case);

        var dir = AppContext.BaseDirectory;
        if (!File.Exists(Path.Combine(dir, NativeCompat.ShimLibraryName))) return; // system libstdc++ new enough
        Assert.Equal(CompatCase.Patched, NativeCompat.LoadShimIfPresent(dir).Case);
        Assert.Equal(CompatCase.Patched, NativeCompat.LoadShimIfPresent(dir).Case);
    }

    [Fact]
    public void Loading_a_broken_shim_throws_with_the_dlerror_text()
    {
        File.WriteAllText(Path.Combine(_temp, NativeCompat.ShimLibraryName), "not a library");
        var e = Assert.Throws<DllNotFoundException>(() => NativeCompat.LoadShimIfPresent(_temp));
        Assert.Contains(NativeCompat.ShimLibraryName, e.Message);
        Assert.Contains("dlopen", e.Message);
    }

    /// <summary>A temp copy of TorchSharp's libLibTorchSharp.so with its GLIBCXX_3.4.32 need not weak.</summary>
    private string CopyOfOriginalTorchSharpLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var candidates = new[]
        {
            Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", NativeCompat.TorchSharpLibraryName),
            Path.Combine(AppContext.BaseDirectory, NativeCompat.TorchSharpLibraryName),
        };
        var source = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"libLibTorchSharp.so not found in {string.Join(" or ", candidates)}");
        var copy = Path.Combine(_temp, NativeCompat.TorchSharpLibraryName);
        File.Copy(source, copy);

        // The output folder's copy may already be patched: clear the weak bit to start from the original state.
        var need = ElfVersionInfo.ReadVersionNeeds(copy).SelectMany(n => n.Versions).Single(v => v.Name == Glibcxx32);
        if (need.IsWeak)
        {
            using var handle = File.OpenHandle(copy, FileMode.Open, FileAccess.ReadWrite);
            var flags = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(need.Flags & ~0x2));
            RandomAccess.Write(handle, flags, need.Offset + 4);
        }
        return copy;
    }

    private static string ShimSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var source = Path.Combine(dir.FullName, "native", "glibcxx_compat.cpp");
            if (File.Exists(source)) return source;
        }
        throw new FileNotFoundException("native/glibcxx_compat.cpp not found above " + AppContext.BaseDirectory);
    }
}
