using System.Buffers.Binary;
using System.IO.Compression;

namespace Runner.Core.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (big-endian magic 0x0000TTDD, dims, then data), gzipped or not.
/// </summary>
public sealed class IdxFile
{
    public required int[] Dimensions { get; init; }
    public required byte[] Data { get; init; }

    public int Count => Dimensions[0];
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
    public ReadOnlySpan<byte> Item(int index) => Data.AsSpan(index * ItemSize, ItemSize);

    public static IdxFile Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
            throw new InvalidDataException($"{path}: not an unsigned-byte IDX file (magic {Convert.ToHexString(bytes.AsSpan(0, Math.Min(4, bytes.Length)))})");
        var rank = bytes[3];
        var dims = Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i))).ToArray();
        var offset = 4 + 4 * rank;
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (bytes.Length - offset != expected)
            throw new InvalidDataException($"{path}: header says {expected} bytes of data, file has {bytes.Length - offset}");
        return new IdxFile { Dimensions = dims, Data = bytes[offset..] };
    }

    /// <summary>
    /// The dimensions of an IDX file, after checking that its data is exactly as long as they say; streams the data
    /// instead of keeping it (for consistency checks of large image files).
    /// </summary>
    public static int[] ReadHeader(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> head = stackalloc byte[4];
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4 || head[0] != 0 || head[1] != 0 || head[2] != 0x08)
            throw new InvalidDataException($"{path}: not an unsigned-byte IDX file");
        var dims = new int[head[3]];
        Span<byte> dim = stackalloc byte[4];
        for (var i = 0; i < dims.Length; i++)
        {
            if (stream.ReadAtLeast(dim, 4, throwOnEndOfStream: false) < 4) throw new InvalidDataException($"{path}: the header is cut short");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
        }
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        var buffer = new byte[1 << 16];
        long actual = 0;
        for (int n; (n = stream.Read(buffer)) > 0;) actual += n;
        if (actual != expected)
            throw new InvalidDataException($"{path}: header says {expected} bytes of data, file has {actual}{(actual < expected ? " (truncated?)" : "")}");
        return dims;
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
