using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Runner.Tests.Fixtures;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (a free port) for download tests: serves <see cref="Files"/>[path], or
/// <see cref="Body"/> at any other path,
/// honours <c>Range: bytes=N-</c> with 206 (unless <see cref="IgnoreRange"/>), can cut the next response off after
/// <see cref="CutNextAfter"/> body bytes, can answer every request with an error <see cref="Status"/>, and records each
/// request's Range and Authorization headers. Hostile modes: <see cref="Redirects"/>, a lying <see cref="AnnouncedLength"/>,
/// an <see cref="Endless"/> body, a <see cref="Drip"/> of one byte at a time, any <see cref="ContentType"/>.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(byte[] body)
    {
        Body = body;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public byte[] Body { get; set; }

    /// <summary>Files by absolute path ("/mirror/a.pth"); other paths get <see cref="Body"/>.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>The path of every request so far, in order.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();
    public bool IgnoreRange { get; set; }

    /// <summary>When set (e.g. "503 Slow Down"), every request gets this status with <see cref="Body"/>.</summary>
    public string? Status { get; set; }

    /// <summary>When set, the next response sends its headers and only this many body bytes, then closes the connection.</summary>
    public int? CutNextAfter { get; set; }

    /// <summary>The Range header of every request so far, in order (null: none).</summary>
    public ConcurrentQueue<string?> Ranges { get; } = new();

    /// <summary>The Authorization header of every request so far, in order (null: none).</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>Paths answered with 302 and this Location.</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new();

    /// <summary>When set, the Content-Length sent instead of the body's.</summary>
    public long? AnnouncedLength { get; set; }

    /// <summary>When set, the body is zeros without end (and no Content-Length), until the client goes away.</summary>
    public bool Endless { get; set; }

    /// <summary>When set, the body is sent one byte at a time, this long apart.</summary>
    public TimeSpan? Drip { get; set; }

    public string ContentType { get; set; } = "application/octet-stream";

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url(string file) => new($"http://127.0.0.1:{Port}/{file}");

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await Serve(client);
            }
            catch (IOException)
            {
                // the client went away
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    private async Task Serve(TcpClient client)
    {
        var stream = client.GetStream();
        var head = await ReadHead(stream);
        string? Header(string name) => head.Split("\r\n").Skip(1)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();
        var range = Header("Range");
        Ranges.Enqueue(range);
        Authorizations.Enqueue(Header("Authorization"));
        var path = head.Split(' ', 3) is [_, var target, _] ? target : "/";
        Paths.Enqueue(path);
        if (Redirects.TryGetValue(path, out var location))
        {
            await Write(stream, $"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ReadOnlyMemory<byte>.Empty);
            return;
        }
        if (Endless)
        {
            await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {ContentType}\r\nConnection: close\r\n\r\n", ReadOnlyMemory<byte>.Empty);
            var zeros = new byte[1 << 16];
            while (!_stop.IsCancellationRequested) await stream.WriteAsync(zeros, _stop.Token);
            return;
        }

        var body = Files.TryGetValue(path, out var file) ? file : Body;
        var start = 0L;
        string status;
        var headers = new StringBuilder();
        if (Status is not null)
        {
            status = Status;
        }
        else if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-') && long.TryParse(range[6..^1], out var from))
        {
            if (from >= body.Length)
            {
                await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{body.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ReadOnlyMemory<byte>.Empty);
                return;
            }
            start = from;
            status = "206 Partial Content";
            headers.Append(CultureInfo.InvariantCulture, $"Content-Range: bytes {from}-{body.Length - 1}/{body.Length}\r\n");
        }
        else
        {
            status = "200 OK";
        }
        var payload = body.AsMemory((int)start);
        headers.Append(CultureInfo.InvariantCulture, $"Content-Length: {AnnouncedLength ?? payload.Length}\r\nContent-Type: {ContentType}\r\n")
            .Append("Accept-Ranges: bytes\r\nConnection: close\r\n\r\n");
        if (CutNextAfter is { } cut)
        {
            CutNextAfter = null;
            payload = payload[..cut];
        }
        if (Drip is { } interval)
        {
            await Write(stream, $"HTTP/1.1 {status}\r\n{headers}", ReadOnlyMemory<byte>.Empty);
            for (var i = 0; i < payload.Length && !_stop.IsCancellationRequested; i++)
            {
                await stream.WriteAsync(payload.Slice(i, 1), _stop.Token);
                await Task.Delay(interval, _stop.Token);
            }
        }
        else
        {
            await Write(stream, $"HTTP/1.1 {status}\r\n{headers}", payload);
        }
        client.Client.Shutdown(SocketShutdown.Send);
    }

    private static async Task Write(NetworkStream stream, string head, ReadOnlyMemory<byte> body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    private static async Task<string> ReadHead(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0) break;
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
