using Runner.Tests.Fixtures;

namespace Runner.Tests.EndToEnd;

/// <summary>
/// Commands that only read an experiment (validate, cache gc, cache export, publish) must not initialise libtorch: they run
/// here from a copy of runner whose native libraries are empty files, so any attempt to load one fails.
/// </summary>
public sealed class TorchFreeCommandsTests : IDisposable
{
    private readonly TinyExperiment _experiment = new(imagesPerClass: 4);
    private readonly string _app = Path.Combine(Path.GetTempPath(), "runner-nonative-" + Guid.NewGuid().ToString("N")[..8]);

    public TorchFreeCommandsTests()
    {
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(AppContext.BaseDirectory, file);
            if (relative.StartsWith("DnnImageModels", StringComparison.Ordinal)) continue;
            var target = Path.Combine(_app, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Path.GetFileName(file).Contains(".so", StringComparison.Ordinal)) File.WriteAllBytes(target, []); // dlopen: "file too short"
            else File.Copy(file, target);
        }
        File.Delete(Path.Combine(_app, Runner.NativeCompat.NativeCompat.ShimLibraryName));
    }

    public void Dispose()
    {
        _experiment.Dispose();
        try { Directory.Delete(_app, recursive: true); } catch (IOException) { }
    }

    private RunnerProcess.Result Run(params string[] args)
    {
        var start = RunnerProcess.StartInfo(_experiment.Root, new Dictionary<string, string>(), args);
        start.ArgumentList[0] = Path.Combine(_app, "runner.dll");
        return RunnerProcess.Execute(start);
    }

    [Fact]
    public void Reading_an_experiment_needs_no_native_torch_while_running_one_does()
    {
        var validate = Run("validate", "tiny.yaml");
        var gc = Run("cache", "gc", "tiny.yaml", "--dry-run");
        var export = Run("cache", "export", "tiny.yaml", "--out", "tiny.tar.gz");
        var publish = Run("publish", "tiny.yaml", "--dry-run", "--repo", "owner/name");
        File.WriteAllText(_experiment.Yaml, File.ReadAllText(_experiment.Yaml).Replace("epochs: 1", "epochs: 1, trainable: last-20"));
        var tooManyBlocks = Run("validate", "tiny.yaml");
        var doctor = Run("doctor");

        Assert.True(validate.ExitCode == 0, validate.Output + validate.Error);
        Assert.True(gc.ExitCode == 0, gc.Output + gc.Error);
        foreach (var nothingToExportOrPublish in new[] { export, publish }) // they fail for want of a run, not of libtorch
        {
            Assert.DoesNotContain("TorchSharp", nothingToExportOrPublish.Output + nothingToExportOrPublish.Error);
            Assert.DoesNotContain("type initializer", nothingToExportOrPublish.Output + nothingToExportOrPublish.Error);
        }
        Assert.Equal(2, tooManyBlocks.ExitCode);
        Assert.Contains("trainable: last-20, but mobilenet_v2 has 19 blocks", tooManyBlocks.Error);
        Assert.NotEqual(0, doctor.ExitCode); // the copy really has no usable libtorch
    }
}
