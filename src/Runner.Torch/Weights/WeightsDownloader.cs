using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Runner.Core.Util;

namespace Runner.Torch.Weights;

/// <summary>
/// Downloads a file over HTTP(S) to <c>DEST.part</c>, resuming a partial file with <c>Range: bytes=N-</c> (a 206 appends,
/// a 200 starts over), renames it to DEST when complete and checks that its SHA-256 starts with the expected prefix
/// (a mismatch deletes the file). Bounded: at most <c>maxBytes</c> (a larger announced size is refused before anything
/// is written, a body that runs past it is cut and deleted), at least <see cref="StallBytes"/> every
/// <see cref="StallTimeout"/> (a server that stops or drips is given up on), redirects only to http(s) and at most
/// <see cref="MaxRedirects"/>, an HTML page refused, and a full disk stops it with the part deleted. Interruptions keep the
/// part and throw <see cref="WeightsDownloadException"/>. URLs in messages have their credentials masked.
/// </summary>
public sealed class WeightsDownloader(HttpClient http)
{
    /// <summary>The window over which a download must receive <see cref="StallBytes"/>, or be treated as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The least a download must receive per <see cref="StallTimeout"/> (64 KiB a minute: about 1 KiB/s).</summary>
    public long StallBytes { get; init; } = 64 * 1024;

    public int MaxRedirects { get; init; } = 5;

    /// <summary>The least time between two progress callbacks (the final one always comes).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Called on the downloading thread, at most every <see cref="ProgressInterval"/> and once when done.</summary>
    public Action<DownloadProgress>? Progress { get; init; }

    public static string PartPath(string destination) => destination + ".part";

    public async Task<DownloadResult> DownloadAsync(Uri url, string destination, string? expectedSha256, long maxBytes,
        CancellationToken cancel = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        if (File.Exists(destination))
        {
            var existing = WeightsStore.Sha256Of(destination);
            if (expectedSha256 is null || existing.StartsWith(expectedSha256, StringComparison.OrdinalIgnoreCase))
                return new DownloadResult(destination, existing, new FileInfo(destination).Length, 0, AlreadyPresent: true);
            File.Delete(destination); // a stale or corrupt earlier download: fetch it again
        }

        var part = PartPath(destination);
        var resumedFrom = await FetchToPartAsync(url, part, maxBytes, cancel);
        File.Move(part, destination, overwrite: true);

        var sha = WeightsStore.Sha256Of(destination);
        if (expectedSha256 is not null && !sha.StartsWith(expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(destination);
            throw new WeightsChecksumException(
                $"checksum mismatch for {UrlText.Redact(url)}: " +
                $"expected SHA-256 {expectedSha256.ToLowerInvariant()}{(expectedSha256.Length < 64 ? "…" : "")}, " +
                $"actual {sha}; the file was deleted (a corrupt download or a wrong file at this URL)");
        }
        return new DownloadResult(destination, sha, new FileInfo(destination).Length, resumedFrom, AlreadyPresent: false);
    }

    /// <summary>Completes <paramref name="part"/> from <paramref name="url"/>; returns the offset it resumed from (0: from scratch).</summary>
    private async Task<long> FetchToPartAsync(Uri url, string part, long maxBytes, CancellationToken cancel)
    {
        var shown = UrlText.Redact(url);
        for (var attempt = 0; ; attempt++)
        {
            var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var response = await SendAsync(url, offset, cancel);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                // The part may already be complete; otherwise it is not a prefix of this file: start over.
                if (response.Content.Headers.ContentRange?.Length == offset) return offset;
                File.Delete(part);
                if (attempt > 0) throw new WeightsDownloadException($"cannot download {shown}: the server refused the range request twice");
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw new WeightsDownloadException($"cannot download {shown}: HTTP {(int)response.StatusCode} {TerminalSafe(response.ReasonPhrase)}");
            if (response.Content.Headers.ContentType?.MediaType is "text/html")
                throw new WeightsDownloadException(
                    $"cannot download {shown}: the server sent a web page (text/html), not a weights file; is the URL right?");

            long start;
            long? total;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (offset == 0 || range?.From != offset)
                {
                    // Not the range we asked for: throw the part away and ask for the whole file.
                    File.Delete(part);
                    if (attempt > 0)
                        throw new WeightsDownloadException($"cannot download {shown}: the server answered with an unexpected range ({range})");
                    continue;
                }
                start = offset;
                total = range.Length ?? (response.Content.Headers.ContentLength is { } length ? offset + length : null);
            }
            else
            {
                start = 0; // 200: the server ignored the range (or there was none): the body is the whole file
                total = response.Content.Headers.ContentLength;
            }
            if (total > maxBytes)
            {
                File.Delete(part);
                throw new WeightsDownloadException(
                    $"{shown} announces {total:N0} bytes, more than the {maxBytes:N0} these weights can take; nothing was downloaded");
            }

            await CopyBodyAsync(shown, response, part, start, total, maxBytes, cancel);
            return start;
        }
    }

    /// <summary>The response to a GET from <paramref name="offset"/>, following up to <see cref="MaxRedirects"/> redirects to http(s).</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, long offset, CancellationToken cancel)
    {
        var shown = UrlText.Redact(url);
        var location = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, WithoutCredentials(location));
            if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
            if (location.UserInfo.Length > 0) // user:token@ in the URL the user gave: sent as basic authentication, to that URL only
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(location.UserInfo))));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
            }
            catch (HttpRequestException e)
            {
                throw new WeightsDownloadException($"cannot download {shown}: {e.Message}", e);
            }
            catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
            {
                throw new WeightsDownloadException($"cannot download {shown}: no response (timed out)", e);
            }
            catch (Exception e) when (e is UriFormatException or NotSupportedException)
            {
                throw new WeightsDownloadException($"cannot download {shown}: {e.Message}", e); // a redirect the client followed to a non-http URL
            }
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } next) return response;
            response.Dispose();
            if (hop >= MaxRedirects) throw new WeightsDownloadException($"cannot download {shown}: more than {MaxRedirects} redirects");
            location = next.IsAbsoluteUri ? next : new Uri(location, next);
            if (location.Scheme != Uri.UriSchemeHttp && location.Scheme != Uri.UriSchemeHttps)
                throw new WeightsDownloadException(
                    $"cannot download {shown}: it redirects to {TerminalSafe(UrlText.Redact(location))}, which is not an http(s) URL");
        }
    }

    private async Task CopyBodyAsync(string shown, HttpResponseMessage response, string part, long start, long? total, long maxBytes,
        CancellationToken cancel)
    {
        var name = Path.GetFileName(part);
        if (name.EndsWith(".part", StringComparison.Ordinal)) name = name[..^5];
        var clock = Stopwatch.StartNew();
        TimeSpan? lastReport = null;
        var received = start;
        var window = (Start: TimeSpan.Zero, Bytes: 0L);
        var buffer = new byte[1 << 16];
        try
        {
            await using var file = new FileStream(part, start > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            await using var body = await response.Content.ReadAsStreamAsync(cancel);
            while (true)
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                stall.CancelAfter(StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token);
                }
                catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
                {
                    throw new IOException($"no data for {StallTimeout.TotalSeconds:0.#} s", e);
                }
                if (read == 0) break;
                if (received + read > maxBytes)
                {
                    file.Close();
                    File.Delete(part);
                    throw new WeightsDownloadException(
                        $"download of {shown} ran past {maxBytes:N0} bytes, the most these weights can take; the part was deleted");
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancel);
                received += read;
                window.Bytes += read;
                if (clock.Elapsed - window.Start >= StallTimeout)
                {
                    if (window.Bytes < StallBytes)
                        throw new IOException($"stalled: {window.Bytes:N0} bytes in {(clock.Elapsed - window.Start).TotalSeconds:0.#} s");
                    window = (clock.Elapsed, 0);
                }
                if (Progress is not null && (lastReport is null || clock.Elapsed - lastReport.Value >= ProgressInterval))
                {
                    lastReport = clock.Elapsed;
                    Progress(new DownloadProgress(name, received, total, start, clock.Elapsed, Done: false));
                }
            }
        }
        catch (IOException e) when (e.HResult == NoSpace || e.Message.Contains("No space left on device", StringComparison.Ordinal))
        {
            File.Delete(part);
            throw new WeightsDownloadException($"download of {shown} stopped: no space left on device in " +
                $"{Path.GetDirectoryName(Path.GetFullPath(part))}; the part was deleted, so the space is free again", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Interrupted(shown, part, received, total, e.Message, e);
        }
        if (total is { } expected && received > expected)
        {
            File.Delete(part);
            throw new WeightsDownloadException(
                $"download of {shown} produced {received:N0} bytes, more than the {expected:N0} announced; the part was deleted");
        }
        if (total is { } announced && received < announced)
            throw Interrupted(shown, part, received, total, "the connection closed early", null);
        Progress?.Invoke(new DownloadProgress(name, received, total ?? received, start, clock.Elapsed, Done: true));
    }

    private static Uri WithoutCredentials(Uri url) => url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = "", Password = "" }.Uri;

    /// <summary>ENOSPC, as .NET reports it on Linux.</summary>
    private const int NoSpace = 28;

    /// <summary>Server-sent text (a reason phrase) with its control characters dropped.</summary>
    private static string TerminalSafe(string? text) => new((text ?? "").Where(c => !char.IsControl(c)).ToArray());

    private static WeightsDownloadException Interrupted(string shown, string part, long received, long? total, string why, Exception? inner) =>
        new($"download of {shown} was interrupted after {received:N0}{(total is { } t ? $" of {t:N0}" : "")} bytes ({why}); " +
            $"{part} is kept: run the same command again to resume", inner);
}
