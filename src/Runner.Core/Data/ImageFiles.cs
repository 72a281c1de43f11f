using Runner.Core.Util;

namespace Runner.Core.Data;

/// <summary>
/// Image files under folders, recursively, in ordinal order; hidden files and folders (".name") are left out. Symbolic
/// links are followed, to files and to folders outside the dataset, but a folder reached twice (a loop such as
/// <c>ln -s .. shirt/loop</c>, or two links to one folder) or a file reached twice is refused with its path: an image
/// listed twice would be counted twice and could land in two splits or two classes. One instance covers one dataset.
/// Images in formats runner does not read (GIF, TIFF) are collected in <see cref="Unsupported"/>, so they are named, not
/// passed over in silence.
/// </summary>
internal sealed class ImageFiles(string datasetRoot)
{
    private readonly string _root = RealPath.Of(datasetRoot);
    private readonly Dictionary<string, string> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private static readonly string[] UnsupportedExtensions = [".gif", ".tif", ".tiff"];

    public List<string> Unsupported { get; } = [];

    public IEnumerable<string> In(string dir)
    {
        var found = new List<string>();
        Walk(dir, found);
        return found.Order(StringComparer.Ordinal);
    }

    private void Walk(string dir, List<string> found)
    {
        var real = RealPath.Of(dir);
        if (_folders.TryGetValue(real, out var first))
            throw new InvalidDataException($"{dir}: the same folder as {first} (through a symbolic link); remove the link so each image is listed once");
        _folders[real] = dir;
        var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false });
        foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Name.StartsWith('.')) continue;
            var path = Path.Combine(dir, entry.Name);
            if (entry is DirectoryInfo)
            {
                if (entry.LinkTarget is not null && RealPath.IsWithin(_root, RealPath.Of(path)))
                    throw new InvalidDataException($"{path}: a symbolic link to {RealPath.Of(path)}, which contains the dataset: a loop; remove the link");
                Walk(path, found);
            }
            else if (DatasetScanner.ImageExtensions.Contains(Path.GetExtension(entry.Name).ToLowerInvariant()))
            {
                var realFile = entry.LinkTarget is null ? Path.Combine(real, entry.Name) : RealPath.Of(path);
                if (_files.TryGetValue(realFile, out var same))
                    throw new InvalidDataException($"{path}: the same file as {same} (through a symbolic link); an image may be listed once");
                _files[realFile] = path;
                found.Add(path);
            }
            else if (UnsupportedExtensions.Contains(Path.GetExtension(entry.Name).ToLowerInvariant()))
                Unsupported.Add(path);
        }
    }
}
