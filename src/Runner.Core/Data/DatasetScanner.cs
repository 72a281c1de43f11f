using System.Security.Cryptography;
using System.Text;
using Runner.Core.Config;

namespace Runner.Core.Data;

public sealed record DatasetListing(IReadOnlyList<string> Classes, IReadOnlyList<DatasetItem> Items);

/// <summary>Finds a dataset's files and labels. Fingerprinting only reads file metadata, so planning stays fast.</summary>
public static class DatasetScanner
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>SHA-256 over (relative path, size, modification time) of every file the dataset reads.</summary>
    public static (string Digest, int Files) Fingerprint(DatasetSpec spec)
    {
        var files = SourceFiles(spec);
        var text = new StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            text.Append(Path.GetRelativePath(spec.Path, file)).Append('\t').Append(info.Length).Append('\t')
                .Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), files.Count);
    }

    public static DatasetListing List(DatasetSpec spec) => spec.Kind switch
    {
        "folder" => ListFolder(spec),
        "idx" => ListIdx(spec),
        _ => throw new ArgumentException($"unknown dataset kind '{spec.Kind}'"),
    };

    private static IReadOnlyList<string> SourceFiles(DatasetSpec spec) => spec.Kind switch
    {
        "folder" => FolderClasses(spec).SelectMany(c => ImagesIn(Path.Combine(spec.Path, c))).ToList(),
        "idx" => IdxPairs(spec.Path).SelectMany(p => new[] { p.Images, p.Labels }).ToList(),
        _ => throw new ArgumentException($"unknown dataset kind '{spec.Kind}'"),
    };

    private static IReadOnlyList<string> FolderClasses(DatasetSpec spec)
    {
        var present = Directory.GetDirectories(spec.Path).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (spec.Classes is null) return present;
        var missing = spec.Classes.Except(present).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{spec.Path}: no folder for class {string.Join(", ", missing)}; found {string.Join(", ", present)}");
        return spec.Classes;
    }

    private static IEnumerable<string> ImagesIn(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal);

    private static DatasetListing ListFolder(DatasetSpec spec)
    {
        var classes = FolderClasses(spec);
        var items = classes.SelectMany((c, label) => ImagesIn(Path.Combine(spec.Path, c)).Select(f =>
        {
            var relative = Path.GetRelativePath(spec.Path, f).Replace('\\', '/');
            return new DatasetItem(relative, relative, label);
        })).ToList();
        return new DatasetListing(classes, items);
    }

    private sealed record IdxPair(string Images, string Labels);

    /// <summary>Pairs each <c>*-images-idx3-ubyte[.gz]</c> with its <c>*-labels-idx1-ubyte[.gz]</c>.</summary>
    private static IReadOnlyList<IdxPair> IdxPairs(string dir)
    {
        var pairs = Directory.GetFiles(dir, "*-images-idx3-ubyte*").Order(StringComparer.Ordinal)
            .GroupBy(images => Path.GetFileName(images).Replace(".gz", ""))
            .Select(g => g.Last()) // prefer the .gz when both forms are present
            .Select(images => new IdxPair(images, Path.Combine(dir, Path.GetFileName(images).Replace("-images-idx3-", "-labels-idx1-"))))
            .ToList();
        if (pairs.Count == 0) throw new InvalidDataException($"{dir}: no *-images-idx3-ubyte files");
        var unpaired = pairs.FirstOrDefault(p => !File.Exists(p.Labels));
        if (unpaired is not null) throw new InvalidDataException($"{unpaired.Images}: labels file {Path.GetFileName(unpaired.Labels)} is missing");
        return pairs;
    }

    private static DatasetListing ListIdx(DatasetSpec spec)
    {
        var pairs = IdxPairs(spec.Path).Select(p => (p, labels: IdxFile.Read(p.Labels))).ToList();
        var labelCount = pairs.Max(p => p.labels.Data.Max()) + 1;
        var names = spec.ClassNames ?? Enumerable.Range(0, labelCount).Select(i => i.ToString()).ToList();
        if (names.Count < labelCount)
            throw new InvalidDataException($"{spec.Path}: labels go up to {labelCount - 1} but class_names has only {names.Count} names");
        var keep = spec.Classes ?? names;
        var unknown = keep.Except(names).ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"dataset.classes: {string.Join(", ", unknown)} not among class_names");

        var items = new List<DatasetItem>();
        foreach (var (pair, labels) in pairs)
        {
            var file = Path.GetFileName(pair.Images);
            for (var i = 0; i < labels.Count; i++)
            {
                var label = keep.IndexOf(names[labels.Data[i]]);
                if (label >= 0) items.Add(new DatasetItem($"{file}#{i}", file, label, Index: i));
            }
        }
        return new DatasetListing(keep.ToList(), items);
    }

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }
}
