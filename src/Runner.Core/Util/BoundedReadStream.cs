namespace Runner.Core.Util;

/// <summary>
/// Reads through to <c>inner</c> and throws <see cref="InvalidDataException"/> as soon as more than <c>limit</c> bytes
/// come out of it, so a decompressing reader (gzip) stops at a bound instead of expanding a bomb.
/// </summary>
public sealed class BoundedReadStream(Stream inner, long limit, string what) : Stream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _read += read;
        if (_read > limit) throw new InvalidDataException($"{what} expands to more than {limit:N0} bytes");
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
