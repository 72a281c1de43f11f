using System.Security.Cryptography;
using System.Text;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Util;

namespace Runner.Core.Data;

/// <summary>Finds a dataset's files and labels, and fingerprints them by content (read once, then remembered: <see cref="FileDigests"/>).</summary>
public static class DatasetScanner
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>
    /// SHA-256 over (name relative to the dataset, SHA-256 of the content) of every file the dataset reads, including the
    /// CSV manifest and the <c>predict</c> folder, so the key survives a fresh checkout, a copy or a <c>touch</c> and changes
    /// exactly when names or bytes do. Files that cannot be read are fingerprinted as such; the data task reports them.
    /// </summary>
    public static (string Digest, int Files) Fingerprint(DatasetSpec spec)
    {
        var files = SourceFiles(spec);
        var digests = FileDigests.Of(files.Select(f => f.Path).ToList());
        var text = string.Concat(files.Select((f, i) => $"{f.Key}\t{digests[i]}\n"));
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), files.Count);
    }

    public static DatasetListing List(DatasetSpec spec)
    {
        var listing = spec.Kind switch
        {
            DatasetKinds.Folder => ListFolder(spec),
            DatasetKinds.FilenamePattern => ListByPattern(spec),
            DatasetKinds.Csv => ListCsv(spec),
            DatasetKinds.Idx => ListIdx(spec),
            _ => throw new ArgumentException($"unknown dataset kind '{spec.Kind}'"),
        };
        if (spec.Predict is null) return listing;
        var (predict, problems, unsupported) = ListPredict(spec.Predict);
        return listing with
        {
            Predict = predict, PredictRoot = Path.GetFullPath(spec.Predict), Problems = [.. listing.Problems, .. problems],
            Unsupported = [.. listing.Unsupported, .. unsupported],
        };
    }

    /// <summary>(key in the fingerprint, path) of every file the data task reads.</summary>
    private static IReadOnlyList<(string Key, string Path)> SourceFiles(DatasetSpec spec)
    {
        var files = spec.Kind switch
        {
            DatasetKinds.Folder => FolderImages(spec, new ImageFiles(spec.Path)).SelectMany(c => c.Files)
                .Select(f => (Normalize(Path.GetRelativePath(spec.Path, f)), f)).ToList(),
            DatasetKinds.FilenamePattern => ImagesIn(spec.Path).Select(f => (Normalize(Path.GetRelativePath(spec.Path, f)), f)).ToList(),
            DatasetKinds.Csv => CsvSourceFiles(spec),
            DatasetKinds.Idx => IdxPairs(spec.Path).SelectMany(p => new[] { p.Images, p.Labels }).Select(f => (Path.GetFileName(f), f)).ToList(),
            _ => throw new ArgumentException($"unknown dataset kind '{spec.Kind}'"),
        };
        if (spec.Predict is not null)
            files.AddRange(ImagesIn(spec.Predict).Select(f => ("predict:" + Normalize(Path.GetRelativePath(spec.Predict, f)), f)));
        return files;
    }

    private static List<(string, string)> CsvSourceFiles(DatasetSpec spec)
    {
        var folder = CsvFolder(spec);
        return [(Path.GetFileName(spec.Path), spec.Path), .. CsvRows(spec).Select(r => (r.Path, Path.Combine(folder, r.Path)))];
    }

    /// <summary>The manifest's rows; unless <see cref="DatasetSpec.AllowOutsidePaths"/>, every row must lie inside the CSV's folder.</summary>
    private static IReadOnlyList<CsvRow> CsvRows(DatasetSpec spec)
    {
        var rows = CsvManifest.Read(spec.Path);
        if (spec.AllowOutsidePaths) return rows;
        var folder = Path.GetFullPath(CsvFolder(spec) is { Length: > 0 } f ? f : ".");
        var outside = rows.Where(r => !RealPath.IsWithin(Path.GetFullPath(Path.Combine(folder, r.Path)), folder))
            .Select(r => $"{spec.Path}:{r.Line}: '{r.Path}' lies outside the CSV's folder {folder}").ToList();
        return outside.Count == 0 ? rows : throw new InvalidDataException(InvalidInputException.Format(
            $"{spec.Path}: {outside.Count} row{(outside.Count == 1 ? "" : "s")} outside the dataset (set dataset.allow_outside_paths: true to read them)", outside));
    }

    private static string CsvFolder(DatasetSpec spec) => Path.GetDirectoryName(spec.Path) ?? "";

    /// <summary>The absolute folder that the dataset's item files are relative to (a CSV's folder for <c>csv</c>).</summary>
    public static string RootOf(DatasetSpec spec) =>
        Path.GetFullPath(spec.Kind != DatasetKinds.Csv ? spec.Path : CsvFolder(spec) is { Length: > 0 } folder ? folder : ".");

    private static string Normalize(string relative) => relative.Replace('\\', '/');

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

    /// <summary>Image files under <paramref name="dir"/>, recursively, ordinal order (see <see cref="ImageFiles"/>).</summary>
    private static IEnumerable<string> ImagesIn(string dir) => new ImageFiles(dir).In(dir);

    /// <summary>Each class folder's images; one walk over all of them, so an image reachable from two classes is refused.</summary>
    private static IReadOnlyList<(string Class, IReadOnlyList<string> Files)> FolderImages(DatasetSpec spec, ImageFiles walk) => FolderClasses(spec).Select(c => (c, (IReadOnlyList<string>)walk.In(Path.Combine(spec.Path, c)).ToList())).ToList();

    private static DatasetListing ListFolder(DatasetSpec spec)
    {
        var walk = new ImageFiles(spec.Path);
        var classes = FolderImages(spec, walk);
        var items = classes.SelectMany((c, label) => c.Files.Select(f =>
        {
            var relative = Normalize(Path.GetRelativePath(spec.Path, f));
            return new DatasetItem(relative, relative, label);
        })).ToList();
        return new DatasetListing(classes.Select(c => c.Class).ToList(), items)
        {
            Root = Path.GetFullPath(spec.Path), DisplayRoot = spec.Path, Unsupported = walk.Unsupported,
        };
    }

    /// <summary>
    /// <c>filename-pattern</c>: every image under the folder is labelled by the one class whose regex matches its file name;
    /// a file that matches none or several is a problem. Classes are the patterns' order (or <c>classes</c>, a subset).
    /// </summary>
    private static DatasetListing ListByPattern(DatasetSpec spec)
    {
        var patterns = spec.Labels ?? throw new InvalidDataException("dataset.labels: a filename-pattern dataset needs one regex per class");
        var regexes = patterns.Select(p => (p.Class, Regex: p.ToRegex())).ToList();
        var classes = spec.Classes ?? patterns.Select(p => p.Class).ToList();
        var items = new List<DatasetItem>();
        var problems = new List<FileProblem>();
        var walk = new ImageFiles(spec.Path);
        foreach (var file in walk.In(spec.Path))
        {
            var relative = Normalize(Path.GetRelativePath(spec.Path, file));
            var name = Path.GetFileName(file);
            var matches = regexes.Where(r => r.Regex.IsMatch(name)).Select(r => r.Class).ToList();
            if (matches.Count == 0)
                problems.Add(new FileProblem(Display(spec.Path, relative), $"file name matches no label pattern ({string.Join(", ", patterns.Select(p => $"{p.Class}: {p.Pattern}"))})"));
            else if (matches.Count > 1)
                problems.Add(new FileProblem(Display(spec.Path, relative), $"file name matches the patterns of {string.Join(" and ", matches.Select(m => $"'{m}'"))}; it must match exactly one"));
            else if (classes.IndexOf(matches[0]) is var label and >= 0)
                items.Add(new DatasetItem(relative, relative, label));
        }
        return new DatasetListing(classes, items)
        {
            Root = Path.GetFullPath(spec.Path), DisplayRoot = spec.Path, Problems = problems, Unsupported = walk.Unsupported,
        };
    }

    /// <summary><c>csv</c>: rows of the manifest; classes are the sorted distinct labels (or <c>classes</c>); a listed file that does not exist is a problem.</summary>
    private static DatasetListing ListCsv(DatasetSpec spec)
    {
        var rows = CsvRows(spec);
        var folder = CsvFolder(spec);
        var classes = spec.Classes ?? rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var items = new List<DatasetItem>();
        var problems = new List<FileProblem>();
        foreach (var row in rows)
        {
            var label = classes.IndexOf(row.Label);
            if (label < 0) continue;
            if (!File.Exists(Path.Combine(folder, row.Path)))
                problems.Add(new FileProblem(Display(folder, row.Path), $"file not found (listed on {spec.Path}:{row.Line})"));
            else
                items.Add(new DatasetItem(row.Path, row.Path, label));
        }
        return new DatasetListing(classes, items.OrderBy(i => i.Id, StringComparer.Ordinal).ToList())
        {
            Root = RootOf(spec), DisplayRoot = folder, Problems = problems,
        };
    }

    /// <summary>The predict folder's images, id = file name without extension, in natural order (2 before 10); duplicate ids are problems.</summary>
    private static (IReadOnlyList<DatasetItem> Items, IReadOnlyList<FileProblem> Problems, IReadOnlyList<string> Unsupported) ListPredict(string dir)
    {
        var items = new List<DatasetItem>();
        var problems = new List<FileProblem>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var walk = new ImageFiles(dir);
        foreach (var file in walk.In(dir))
        {
            var relative = Normalize(Path.GetRelativePath(dir, file));
            var id = Path.GetFileNameWithoutExtension(file);
            if (seen.TryGetValue(id, out var first))
                problems.Add(new FileProblem(Display(dir, relative), $"predict id '{id}' is already taken by {Display(dir, first)}"));
            else
            {
                seen[id] = relative;
                items.Add(new DatasetItem(id, relative, -1, Splits.Predict));
            }
        }
        return (items.OrderBy(i => i.Id, NaturalComparer.Instance).ToList(), problems, walk.Unsupported);
    }

    /// <summary>How the user would write a dataset file: the dataset path as given, joined with the file's relative path.</summary>
    public static string Display(string displayRoot, string relative) =>
        displayRoot.Length == 0 ? relative : Normalize(Path.Combine(displayRoot, relative));

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
        var pairs = IdxPairs(spec.Path).Select(p => (p, labels: Labels(p))).ToList();
        var labelCount = pairs.Max(p => p.labels.Data.Length == 0 ? 0 : p.labels.Data.Max()) + 1;
        var names = spec.ClassNames ?? Enumerable.Range(0, labelCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
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
        return new DatasetListing(keep.ToList(), items) { Root = Path.GetFullPath(spec.Path), DisplayRoot = spec.Path };
    }

    /// <summary>
    /// A labels file, read only once its header declares rank 1 and as many labels as its images file declares images (the
    /// images file's own size is checked with the others by <see cref="CheckIdx"/>).
    /// </summary>
    private static IdxFile Labels(IdxPair pair)
    {
        var images = IdxFile.Declared(pair.Images, checkSize: false)[0];
        var labels = IdxFile.Declared(pair.Labels);
        if (labels.Length != 1) throw new InvalidDataException($"{pair.Labels}: expected labels of rank 1, found rank {labels.Length}");
        if (labels[0] != images)
            throw new InvalidDataException($"{pair.Images}: {images} images but {Path.GetFileName(pair.Labels)} has {labels[0]} labels");
        return IdxFile.Read(pair.Labels, images);
    }

    /// <summary>
    /// idx datasets are checked for consistency instead of decoding: every images file must be a well-formed IDX
    /// whose image count equals its labels file's label count. Returns one problem per inconsistent pair.
    /// </summary>
    public static IReadOnlyList<FileProblem> CheckIdx(DatasetSpec spec)
    {
        var problems = new List<FileProblem>();
        foreach (var pair in IdxPairs(spec.Path))
        {
            var display = Display(spec.Path, Path.GetFileName(pair.Images));
            try
            {
                var images = IdxFile.ReadHeader(pair.Images);
                var labels = IdxFile.ReadHeader(pair.Labels);
                if (images.Length != 3)
                    problems.Add(new FileProblem(display, $"expected images of rank 3 (count, rows, columns), found rank {images.Length}"));
                else if (labels.Length != 1)
                    problems.Add(new FileProblem(Display(spec.Path, Path.GetFileName(pair.Labels)), $"expected labels of rank 1, found rank {labels.Length}"));
                else if (images[0] != labels[0])
                    problems.Add(new FileProblem(display, $"{images[0]} images but {Path.GetFileName(pair.Labels)} has {labels[0]} labels"));
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // IdxFile's messages start with the file's path; the problem is already listed under it.
                var message = e.Message.StartsWith(pair.Images + ": ", StringComparison.Ordinal) ? e.Message[(pair.Images.Length + 2)..] : e.Message;
                problems.Add(new FileProblem(e.Message.StartsWith(pair.Labels, StringComparison.Ordinal) ? Display(spec.Path, Path.GetFileName(pair.Labels)) : display,
                    message.StartsWith(pair.Labels + ": ", StringComparison.Ordinal) ? message[(pair.Labels.Length + 2)..] : message));
            }
        }
        return problems;
    }

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }
}
