using Runner.Core.Data;
using Runner.Tests.Fixtures;

namespace Runner.Tests.Core.Data;

/// <summary>IdxFile: the MNIST container format, plain or gzipped.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("images-idx3-ubyte")]
    [InlineData("images-idx3-ubyte.gz")]
    public void Write_then_read_round_trips(string name)
    {
        var path = Path.Combine(_temp.Path, name);
        var data = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();

        IdxFile.Write(path, [3, 2, 2], data);
        var idx = IdxFile.Read(path);

        Assert.Equal([3, 2, 2], idx.Dimensions);
        Assert.Equal(data, idx.Data);
        Assert.Equal(3, idx.Count);
        Assert.Equal(4, idx.ItemSize);
        Assert.Equal(data[4..8], idx.Item(1).ToArray());
    }

    [Fact]
    public void Gz_files_are_gzip_and_plain_files_are_raw_idx()
    {
        IdxFile.Write(Path.Combine(_temp.Path, "a.gz"), [2], [7, 9]);
        IdxFile.Write(Path.Combine(_temp.Path, "a"), [2], [7, 9]);

        Assert.Equal([0x1f, 0x8b], File.ReadAllBytes(Path.Combine(_temp.Path, "a.gz"))[..2]);
        Assert.Equal([0, 0, 8, 1, 0, 0, 0, 2, 7, 9], File.ReadAllBytes(Path.Combine(_temp.Path, "a")));
    }

    [Fact]
    public void Bad_magic_names_the_file()
    {
        var path = _temp.File("bogus-idx1-ubyte", "PNG?not idx");
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an unsigned-byte IDX file", e.Message);
    }

    [Fact]
    public void Truncated_data_names_the_file()
    {
        var path = Path.Combine(_temp.Path, "short-idx1-ubyte");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]); // header says 5 bytes, has 2
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("5 bytes", e.Message);
    }

    [Fact]
    public void A_gz_declaring_far_more_labels_than_it_can_hold_is_refused_before_its_data_is_read()
    {
        var path = Path.Combine(_temp.Path, "train-labels-idx1-ubyte.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.SmallestSize))
        {
            gzip.Write([0, 0, 8, 1, 0x40, 0, 0, 0]); // 2^30 labels
            gzip.Write(new byte[1_000_000]);
        }
        Assert.True(new FileInfo(path).Length < 10_000);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Equal($"{path}: header says 1,073,741,824 bytes of data, which this {new FileInfo(path).Length:N0}-byte gzip file does not hold",
            e.Message);
    }

    [Fact]
    public void A_labels_file_must_declare_as_many_items_as_its_images_file_before_it_is_read()
    {
        var path = Path.Combine(_temp.Path, "t10k-labels-idx1-ubyte");
        IdxFile.Write(path, [3], [0, 1, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path, count: 5));

        Assert.Equal($"{path}: declares 3 items where its pair declares 5", e.Message);
    }

    [Fact]
    public void Rank_0_is_refused_naming_the_file()
    {
        var path = Path.Combine(_temp.Path, "zero-labels-idx1-ubyte");
        File.WriteAllBytes(path, [0, 0, 8, 0, 7]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Equal($"{path}: an IDX file of rank 0 (no dimensions, so no count of items)", e.Message);
    }
}
