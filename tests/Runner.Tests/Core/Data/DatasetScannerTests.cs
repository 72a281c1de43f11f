using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Data;

/// <summary>DatasetScanner: listing idx and folder datasets, and the metadata fingerprint used in keys.</summary>
public sealed class DatasetScannerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly SplitSpec AnySplit = new(0.1, 0.1, true, 42);

    private static DatasetSpec Spec(string kind, string path, IReadOnlyList<string>? classes = null, IReadOnlyList<string>? classNames = null) =>
        new(kind, path, classes, classNames, AnySplit);

    private string IdxDataset(byte[] trainLabels, byte[]? testLabels = null)
    {
        var dir = _temp.Sub("mnist");
        IdxFile.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), [trainLabels.Length, 2, 2], new byte[trainLabels.Length * 4]);
        IdxFile.Write(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), [trainLabels.Length], trainLabels);
        if (testLabels is not null)
        {
            IdxFile.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), [testLabels.Length, 2, 2], new byte[testLabels.Length * 4]);
            IdxFile.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [testLabels.Length], testLabels);
        }
        return dir;
    }

    [Fact]
    public void Idx_items_are_file_hash_index_with_numeric_class_names()
    {
        var dir = IdxDataset([0, 1, 2, 1, 0], testLabels: [2]);

        var listing = DatasetScanner.List(Spec("idx", dir));

        Assert.Equal(["0", "1", "2"], listing.Classes);
        Assert.Equal(
            [
                new DatasetItem("t10k-images-idx3-ubyte#0", "t10k-images-idx3-ubyte", 2, Index: 0),
                new DatasetItem("train-images-idx3-ubyte.gz#0", "train-images-idx3-ubyte.gz", 0, Index: 0),
                new DatasetItem("train-images-idx3-ubyte.gz#1", "train-images-idx3-ubyte.gz", 1, Index: 1),
                new DatasetItem("train-images-idx3-ubyte.gz#2", "train-images-idx3-ubyte.gz", 2, Index: 2),
                new DatasetItem("train-images-idx3-ubyte.gz#3", "train-images-idx3-ubyte.gz", 1, Index: 3),
                new DatasetItem("train-images-idx3-ubyte.gz#4", "train-images-idx3-ubyte.gz", 0, Index: 4),
            ],
            listing.Items);
        Assert.Equal(4, DatasetScanner.Fingerprint(Spec("idx", dir)).Files);
    }

    [Fact]
    public void Idx_honours_class_names_and_a_class_subset_in_the_given_order()
    {
        var dir = IdxDataset([0, 1, 2, 1, 0]);

        var listing = DatasetScanner.List(Spec("idx", dir, classes: ["two", "zero"], classNames: ["zero", "one", "two"]));

        Assert.Equal(["two", "zero"], listing.Classes);
        Assert.Equal([("train-images-idx3-ubyte.gz#0", 1), ("train-images-idx3-ubyte.gz#2", 0), ("train-images-idx3-ubyte.gz#4", 1)],
            listing.Items.Select(i => (i.Id, i.Label)));
    }

    [Fact]
    public void Idx_problems_are_reported()
    {
        var dir = IdxDataset([0, 1, 2]);
        Assert.Throws<InvalidDataException>(() => DatasetScanner.List(Spec("idx", dir, classNames: ["a", "b"])));
        Assert.Contains("nine", Assert.Throws<InvalidDataException>(() =>
            DatasetScanner.List(Spec("idx", dir, classes: ["nine"], classNames: ["a", "b", "c"]))).Message);

        File.Delete(Path.Combine(dir, "train-labels-idx1-ubyte.gz"));
        Assert.Contains("train-labels-idx1-ubyte.gz", Assert.Throws<InvalidDataException>(() => DatasetScanner.List(Spec("idx", dir))).Message);
    }

    private string FolderDataset()
    {
        _temp.File("pets/dog/x.png");
        _temp.File("pets/dog/notes.txt");
        _temp.File("pets/cat/b.jpg");
        _temp.File("pets/cat/a.png");
        _temp.File("pets/Bird/sub/y.PNG");
        _temp.File("pets/.hidden/z.png");
        _temp.File("pets/loose.png");
        return Path.Combine(_temp.Path, "pets");
    }

    [Fact]
    public void Folder_classes_are_sorted_subfolders_and_items_are_relative_image_paths()
    {
        var dir = FolderDataset();

        var listing = DatasetScanner.List(Spec("folder", dir));

        Assert.Equal(["Bird", "cat", "dog"], listing.Classes); // ordinal; hidden folders ignored
        Assert.Equal([("Bird/sub/y.PNG", 0), ("cat/a.png", 1), ("cat/b.jpg", 1), ("dog/x.png", 2)],
            listing.Items.Select(i => (i.Id, i.Label)));
        Assert.All(listing.Items, i => Assert.Equal(i.Id, i.File));
    }

    [Fact]
    public void Folder_classes_can_be_chosen_and_missing_ones_are_named()
    {
        var dir = FolderDataset();

        var listing = DatasetScanner.List(Spec("folder", dir, classes: ["dog", "cat"]));
        Assert.Equal(["dog", "cat"], listing.Classes);
        Assert.Equal([("dog/x.png", 0), ("cat/a.png", 1), ("cat/b.jpg", 1)], listing.Items.Select(i => (i.Id, i.Label)));

        var e = Assert.Throws<InvalidDataException>(() => DatasetScanner.List(Spec("folder", dir, classes: ["cat", "fish"])));
        Assert.Contains("fish", e.Message);
    }

    [Fact]
    public void Folder_fingerprint_tracks_added_and_rewritten_images_only_not_touches()
    {
        var dir = FolderDataset();
        var spec = Spec("folder", dir);

        var first = DatasetScanner.Fingerprint(spec);
        Assert.Equal(4, first.Files);
        Assert.Equal(first, DatasetScanner.Fingerprint(spec)); // nothing changed

        File.WriteAllText(Path.Combine(dir, "dog", "readme.txt"), "not an image");
        Assert.Equal(first, DatasetScanner.Fingerprint(spec));

        var added = _temp.File("pets/dog/w.png");
        var withAdded = DatasetScanner.Fingerprint(spec);
        Assert.Equal(5, withAdded.Files);
        Assert.NotEqual(first.Digest, withAdded.Digest);

        var mtime = File.GetLastWriteTimeUtc(added);
        File.WriteAllText(added, "bigger content");
        File.SetLastWriteTimeUtc(added, mtime); // same mtime, different size
        var resized = DatasetScanner.Fingerprint(spec);
        Assert.NotEqual(withAdded.Digest, resized.Digest);

        File.SetLastWriteTimeUtc(added, mtime.AddMinutes(5)); // same content, different mtime
        Assert.Equal(resized, DatasetScanner.Fingerprint(spec));

        File.Delete(added);
        File.SetLastWriteTimeUtc(added.Replace("w.png", "x.png"), File.GetLastWriteTimeUtc(added.Replace("w.png", "x.png")));
        Assert.Equal(first, DatasetScanner.Fingerprint(spec)); // back to the original file set
    }
}
