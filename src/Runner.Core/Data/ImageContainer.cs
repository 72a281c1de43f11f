using System.Buffers.Binary;

namespace Runner.Core.Data;

/// <summary>
/// Byte-level checks that need no decoder: empty files, content that is not JPEG/PNG/BMP/WebP, and files cut short
/// (a JPEG without its end-of-image marker, a PNG without its IEND chunk, a BMP or WebP shorter than its header says).
/// Decoders often accept a truncated JPEG with only a warning, filling the rest grey, so this runs before decoding.
/// </summary>
public sealed class ImageContainer : IImageValidator
{
    public string? Problem(string path) => CheckBytes(path, bytes => Problem(bytes));

    /// <summary>Reads the file once and runs <paramref name="check"/> on its bytes; a file that cannot be read is the problem.</summary>
    public static string? CheckBytes(string path, Func<byte[], string?> check)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(e);
        }
        return check(bytes);
    }

    public static string Unreadable(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "unreadable: file not found (a broken link?)",
        UnauthorizedAccessException => "unreadable: permission denied",
        _ => $"unreadable: {e.Message}",
    };

    public enum Format { Unknown, Jpeg, Png, Bmp, Webp }

    public static Format Sniff(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? Format.Jpeg
        : b.Length >= 8 && b[..8].SequenceEqual(PngSignature) ? Format.Png
        : b.Length >= 2 && b[0] == 'B' && b[1] == 'M' ? Format.Bmp
        : b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? Format.Webp
        : Format.Unknown;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>What is wrong with these bytes as an image file, or null if the container is complete.</summary>
    public static string? Problem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return "empty file (0 bytes)";
        return Sniff(bytes) switch
        {
            Format.Jpeg => Jpeg(bytes),
            Format.Png => Png(bytes),
            Format.Bmp => Bmp(bytes),
            Format.Webp => Webp(bytes),
            _ => $"not an image: the content is not JPEG, PNG, BMP or WebP ({Start(bytes)})",
        };
    }

    /// <summary>What the content looks like, never the content itself (a listed file may be anything, e.g. a secret).</summary>
    private static string Start(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(512, bytes.Length)];
        if (head.StartsWith("GIF8"u8)) return "it is a GIF";
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return "it is a TIFF";
        return head.ToArray().All(c => c is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t')
            ? "it is text, e.g. an HTML page saved under an image name"
            : "unknown binary content";
    }

    /// <summary>Walks the marker segments from SOI to EOI, skipping entropy-coded data; data after EOI is allowed.</summary>
    private static string? Jpeg(ReadOnlySpan<byte> b)
    {
        const string truncated = "truncated JPEG: the file ends before the end-of-image marker (FFD9)";
        var i = 2;
        while (true)
        {
            // Next marker: 0xFF (fill bytes allowed), then a marker code. Stray bytes between segments are tolerated, as libjpeg does.
            var next = b[i..].IndexOf((byte)0xFF);
            if (next < 0) return truncated;
            i += next;
            while (i < b.Length && b[i] == 0xFF) i++;
            if (i >= b.Length) return truncated;
            var marker = b[i++];
            switch (marker)
            {
                case 0xD9:
                    return null;
                case 0x00 or 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7):
                    continue; // stuffed byte or standalone marker
            }
            if (i + 2 > b.Length) return truncated;
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[i..]);
            if (length < 2) return $"corrupt JPEG: segment FF{marker:X2} at offset {i - 2} has length {length}";
            if (i + length > b.Length) return truncated;
            i += length;
            if (marker != 0xDA) continue;
            // Start of scan: entropy-coded data up to the next marker that is not a stuffed 0xFF00 or a restart marker.
            while (true)
            {
                var ff = b[i..].IndexOf((byte)0xFF);
                if (ff < 0) return truncated;
                i += ff;
                var j = i + 1;
                while (j < b.Length && b[j] == 0xFF) j++;
                if (j >= b.Length) return truncated;
                if (b[j] == 0x00 || b[j] is >= 0xD0 and <= 0xD7)
                {
                    i = j + 1;
                    continue;
                }
                break; // i is at the 0xFF of the next marker
            }
        }
    }

    /// <summary>Walks the chunks from the signature to IEND; data after IEND is allowed.</summary>
    private static string? Png(ReadOnlySpan<byte> b)
    {
        var i = 8;
        while (true)
        {
            if (i + 8 > b.Length) return "truncated PNG: the file ends before the IEND chunk";
            var length = BinaryPrimitives.ReadUInt32BigEndian(b[i..]);
            var type = b.Slice(i + 4, 4);
            if (length > int.MaxValue || i + 12L + length > b.Length)
                return type.SequenceEqual("IEND"u8) && i + 8L + length <= b.Length
                    ? null // IEND without its CRC: harmless
                    : "truncated PNG: the file ends before the IEND chunk";
            if (type.SequenceEqual("IEND"u8)) return null;
            i += 12 + (int)length;
        }
    }

    private static string? Bmp(ReadOnlySpan<byte> b)
    {
        if (b.Length < 26) return $"truncated BMP: {b.Length} bytes is shorter than its header";
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(b[2..]);
        var pixels = BinaryPrimitives.ReadUInt32LittleEndian(b[10..]);
        if (pixels >= b.Length) return $"truncated BMP: pixel data starts at byte {pixels}, the file has {b.Length}";
        if (declared > b.Length) return $"truncated BMP: the header says {declared} bytes, the file has {b.Length}";
        return null;
    }

    private static string? Webp(ReadOnlySpan<byte> b)
    {
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]) + 8L;
        return declared > b.Length ? $"truncated WebP: the header says {declared} bytes, the file has {b.Length}" : null;
    }
}
