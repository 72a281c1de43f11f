using OpenCvSharp;

namespace Runner.Tests.Fixtures;

/// <summary>A throwaway working folder with a two-class folder dataset of 16×16 PNGs and an experiment file.</summary>
public sealed class TinyExperiment : IDisposable
{
    public TinyExperiment(int imagesPerClass = 12)
    {
        Directory.CreateDirectory(Root);
        foreach (var (name, level) in new[] { ("bright", 190), ("dark", 60) })
        {
            var dir = Directory.CreateDirectory(Path.Combine(Root, "data", name)).FullName;
            for (var i = 0; i < imagesPerClass; i++)
                TestImages.Noise(Path.Combine(dir, $"{name}-{i:D2}.png"), 16, 16,
                    new Scalar(level - 40, level - 40, level - 40), new Scalar(level + 40, level + 40, level + 40));
        }
        WriteYaml(epochs: 1);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "runner-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    public string Yaml => Path.Combine(Root, "tiny.yaml");
    public string ReportDir => Path.Combine(Root, "reports", "tiny");

    /// <param name="compute">
    /// Extra lines for <c>defaults:</c> (e.g. precision, channels_last), each indented by two spaces and ending in a line break.
    /// </param>
    public void WriteYaml(int epochs, string compute = "") => File.WriteAllText(Yaml, $"""
        name: tiny
        dataset:
          kind: folder
          path: data
          split: {"{"} validation: 0.25, test: 0.25, seed: 1 {"}"}
        defaults:
          image_size: 16
          batch_size: 4
          optimizer: {"{"} name: adam, lr: 1.0e-3 {"}"}
          augment: flips
        {compute}augmentations:
          flips:
            - hflip: {"{"} p: 0.5 {"}"}
            - corner_crop: {"{"} p: 0.5, size: 0.75 {"}"}
        backbones:
          - {"{"} name: mobilenet_v2, epochs: {epochs} {"}"}
        timing: {"{"} warmup: 1, iterations: 5, batch_sizes: [1, 2] {"}"}
        """);

    public RunnerProcess.Result Runner(params string[] args) => RunnerProcess.Run(Root, args);

    /// <summary>Copies every file below <paramref name="from"/> to the same place below <paramref name="to"/> (new inodes and mtimes, as a checkout has).</summary>
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
