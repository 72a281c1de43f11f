using System.Buffers.Binary;
using System.IO.Compression;

namespace Runner.Core.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (big-endian magic 0x0000TTDD, dims, then data), gzipped or not. The header
/// is read and checked before any data: at least one dimension, a data length that fits a file of this size (exactly for
/// a raw file; for a .gz, within what deflate can expand it to, and equal to the length the gzip trailer records), and,
/// when the caller knows it, the count the paired file declares. Data is then read up to that length and never more.
/// </summary>
public sealed class IdxFile
{
    /// <summary>The most deflate can expand data (about 1032:1; gzip's own header and trailer aside).</summary>
    private const int MaxDeflateRatio = 1032;

    public required int[] Dimensions { get; init; }
    public required byte[] Data { get; init; }

    public int Count => Dimensions[0];
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
    public ReadOnlySpan<byte> Item(int index) => Data.AsSpan(index * ItemSize, ItemSize);

    /// <param name="count">When known (the images file's count for a labels file), the count the file must declare.</param>
    public static IdxFile Read(string path, int? count = null)
    {
        using var stream = Open(path);
        var dims = Header(stream, path, count);
        var data = new byte[DataLength(dims)];
        if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
            throw new InvalidDataException($"{path}: the header says {data.Length:N0} bytes of data; the file has fewer (truncated?)");
        if (stream.ReadByte() >= 0) throw new InvalidDataException($"{path}: the file has more data than its header says ({data.Length:N0} bytes)");
        return new IdxFile { Dimensions = dims, Data = data };
    }

    /// <summary>
    /// The dimensions of an IDX file, after checking that its data is exactly as long as they say; streams the data
    /// instead of keeping it (for consistency checks of large image files).
    /// </summary>
    public static int[] ReadHeader(string path)
    {
        using var stream = Open(path);
        var dims = Header(stream, path, null);
        var expected = DataLength(dims);
        var buffer = new byte[1 << 16];
        long actual = 0;
        for (int n; actual <= expected && (n = stream.Read(buffer)) > 0;) actual += n;
        if (actual != expected)
            throw new InvalidDataException($"{path}: header says {expected} bytes of data, " +
                $"file has {(actual > expected ? "more" : actual)}{(actual < expected ? " (truncated?)" : "")}");
        return dims;
    }

    /// <summary>The dimensions the file declares (checked against its size unless <paramref name="checkSize"/> is false), without reading its data.</summary>
    public static int[] Declared(string path, int? count = null, bool checkSize = true)
    {
        using var stream = Open(path);
        return Header(stream, path, count, checkSize);
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static int[] Header(Stream stream, string path, int? count, bool checkSize = true)
    {
        Span<byte> head = stackalloc byte[4];
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4 || head[0] != 0 || head[1] != 0 || head[2] != 0x08)
            throw new InvalidDataException($"{path}: not an unsigned-byte IDX file (magic {Convert.ToHexString(head)})");
        if (head[3] == 0) throw new InvalidDataException($"{path}: an IDX file of rank 0 (no dimensions, so no count of items)");
        var dims = new int[head[3]];
        Span<byte> dim = stackalloc byte[4];
        for (var i = 0; i < dims.Length; i++)
        {
            if (stream.ReadAtLeast(dim, 4, throwOnEndOfStream: false) < 4) throw new InvalidDataException($"{path}: the header is cut short");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (dims[i] < 0) throw new InvalidDataException($"{path}: dimension {i + 1} is {dims[i]}");
        }
        if (count is { } expected && dims[0] != expected)
            throw new InvalidDataException($"{path}: declares {dims[0]:N0} items where its pair declares {expected:N0}");
        var length = DataLength(dims);
        if (!checkSize) return dims;
        var headerLength = 4 + 4L * dims.Length;
        var size = new FileInfo(path).Length;
        if (stream is not GZipStream && headerLength + length != size)
            throw new InvalidDataException($"{path}: header says {length:N0} bytes of data, file has {size - headerLength:N0}" +
                (size - headerLength < length ? " (truncated?)" : ""));
        if (stream is GZipStream && (length > MaxDeflateRatio * size || !TrailerAgrees(path, headerLength + length)))
            throw new InvalidDataException($"{path}: header says {length:N0} bytes of data, which this {size:N0}-byte gzip file does not hold");
        return dims;
    }

    /// <summary>The data length the dimensions declare; more than a byte array holds is refused.</summary>
    private static long DataLength(int[] dims)
    {
        var length = dims.Aggregate(System.Numerics.BigInteger.One, (a, b) => a * b);
        return length <= Array.MaxLength
            ? (long)length
            : throw new InvalidDataException($"IDX dimensions [{string.Join(", ", dims)}] declare more data than runner reads");
    }

    /// <summary>Whether the gzip trailer's ISIZE (the uncompressed length modulo 2^32) is <paramref name="length"/>'s.</summary>
    private static bool TrailerAgrees(string path, long length)
    {
        using var file = File.OpenRead(path);
        if (file.Length < 18) return false;
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer) == (uint)length;
    }

    public static void Write(string path, int[] dimensions, byte[] data)
    {
        using var file = File.Create(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Optimal) : file;
        stream.Write([0, 0, 0x08, (byte)dimensions.Length]);
        Span<byte> dim = stackalloc byte[4];
        foreach (var d in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(dim, d);
            stream.Write(dim);
        }
        stream.Write(data);
    }
}
