using OpenCvSharp;
using Runner.Core.Data;

namespace Runner.Torch.Data;

/// <summary>
/// Writes a subset of Fashion-MNIST (as installed by Debian's dataset-fashion-mnist) as PNG files in one folder
/// per class, with a note of where it came from and its licence — the layout of a <c>folder</c> dataset.
/// </summary>
public static class FashionMnistExport
{
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";
    public const string DebianCopyright = "/usr/share/doc/dataset-fashion-mnist/copyright";

    public static readonly string[] ClassNames =
        ["tshirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"];

    /// <summary>Takes the first <paramref name="limit"/> images of each class from the training file, then from the test file.</summary>
    public static IReadOnlyDictionary<string, int> Export(string source, string output, IReadOnlyList<string> classes, int limit)
    {
        var unknown = classes.Except(ClassNames).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown Fashion-MNIST class {string.Join(", ", unknown)}; known: {string.Join(", ", ClassNames)}");
        var written = classes.ToDictionary(c => c, _ => 0);
        foreach (var part in new[] { "train", "t10k" })
        {
            var images = IdxFile.Read(Find(source, $"{part}-images-idx3-ubyte"));
            var labels = IdxFile.Read(Find(source, $"{part}-labels-idx1-ubyte"));
            for (var i = 0; i < labels.Count; i++)
            {
                var name = ClassNames[labels.Data[i]];
                if (!written.TryGetValue(name, out var count) || count >= limit) continue;
                var dir = Directory.CreateDirectory(Path.Combine(output, name)).FullName;
                using var mat = Mat.FromPixelData(images.Dimensions[1], images.Dimensions[2], MatType.CV_8UC1, images.Item(i).ToArray());
                Cv2.ImWrite(Path.Combine(dir, $"{part}-{i:D5}.png"), mat);
                written[name] = count + 1;
            }
        }
        WriteProvenance(source, output, written, limit);
        return written;
    }

    private static string Find(string dir, string stem) =>
        new[] { stem + ".gz", stem }.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{dir}: no {stem}[.gz] (install Debian's dataset-fashion-mnist or pass --source)");

    private static void WriteProvenance(string source, string output, IReadOnlyDictionary<string, int> written, int limit)
    {
        var copyright = File.Exists(DebianCopyright) ? File.ReadAllText(DebianCopyright)
            : "Fashion-MNIST: Copyright (c) 2017 Zalando SE, MIT licence.";
        File.WriteAllText(Path.Combine(output, "LICENSE"), copyright);
        File.WriteAllText(Path.Combine(output, "README.md"), $"""
            # Fashion-MNIST subset

            Real images from Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, Zalando Research; MIT licence, see LICENSE),
            28×28 grayscale, written as PNG by `runner data prepare fashion-mnist` from `{source}`
            (Debian package dataset-fashion-mnist): the first {limit} images of each class, training file first.
            File names are `<source file>-<index in that file>.png`.

            | Class | Images |
            |---|---:|
            {string.Join("\n", written.Select(w => $"| {w.Key} | {w.Value} |"))}
            """);
    }
}
