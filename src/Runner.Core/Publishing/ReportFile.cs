using System.Security.Cryptography;
using System.Text;

namespace Runner.Core.Publishing;

/// <summary>One file of the report folder as it will be committed.</summary>
/// <param name="Path">Relative to the report folder, with '/' separators.</param>
public sealed record ReportFile(string Path, byte[] Bytes)
{
    /// <summary>Text files up to this size go inline in the tree; larger and binary ones are uploaded as base64 blobs.</summary>
    public const int InlineLimit = 256 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The id git gives this content: SHA-1 of <c>"blob {size}\0"</c> + bytes.</summary>
    public string GitSha { get; } = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {Bytes.Length}\0"), .. Bytes]));

    /// <summary>The content as text when it round-trips exactly through UTF-8 and is small; null otherwise.</summary>
    public string? InlineText { get; } = AsText(Bytes);

    private static string? AsText(byte[] bytes)
    {
        if (bytes.Length > InlineLimit || bytes.AsSpan().Contains((byte)0)) return null;
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
