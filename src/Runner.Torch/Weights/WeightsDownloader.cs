using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Runner.Torch.Weights;

/// <summary>
/// Downloads a file over HTTP(S) to <c>DEST.part</c>, resuming a partial file with <c>Range: bytes=N-</c> (a 206 appends,
/// a 200 starts over), renames it to DEST when complete and checks that its SHA-256 starts with the expected prefix
/// (a mismatch deletes the file). Interruptions keep the part and throw <see cref="WeightsDownloadException"/>.
/// </summary>
public sealed class WeightsDownloader(HttpClient http)
{
    /// <summary>How long a read may wait for data before the download is treated as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The least time between two progress callbacks (the final one always comes).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Called on the downloading thread, at most every <see cref="ProgressInterval"/> and once when done.</summary>
    public Action<DownloadProgress>? Progress { get; init; }

    public static string PartPath(string destination) => destination + ".part";

    public async Task<DownloadResult> DownloadAsync(Uri url, string destination, string? expectedSha256, CancellationToken cancel = default)
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
        var resumedFrom = await FetchToPartAsync(url, part, cancel);
        File.Move(part, destination, overwrite: true);

        var sha = WeightsStore.Sha256Of(destination);
        if (expectedSha256 is not null && !sha.StartsWith(expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(destination);
            throw new WeightsChecksumException(
                $"checksum mismatch for {url}: expected SHA-256 {expectedSha256.ToLowerInvariant()}{(expectedSha256.Length < 64 ? "…" : "")}, " +
                $"actual {sha}; the file was deleted (a corrupt download or a wrong file at this URL)");
        }
        return new DownloadResult(destination, sha, new FileInfo(destination).Length, resumedFrom, AlreadyPresent: false);
    }

    /// <summary>Completes <paramref name="part"/> from <paramref name="url"/>; returns the offset it resumed from (0: from scratch).</summary>
    private async Task<long> FetchToPartAsync(Uri url, string part, CancellationToken cancel)
    {
        for (var attempt = 0; ; attempt++)
        {
            var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
            }
            catch (HttpRequestException e)
            {
                throw new WeightsDownloadException($"cannot download {url}: {e.Message}", e);
            }
            catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
            {
                throw new WeightsDownloadException($"cannot download {url}: no response (timed out)", e);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
                {
                    // The part may already be complete; otherwise it is not a prefix of this file: start over.
                    if (response.Content.Headers.ContentRange?.Length == offset) return offset;
                    File.Delete(part);
                    if (attempt > 0) throw new WeightsDownloadException($"cannot download {url}: the server refused the range request twice");
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                    throw new WeightsDownloadException($"cannot download {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");

                long start;
                long? total;
                if (response.StatusCode == HttpStatusCode.PartialContent)
                {
                    var range = response.Content.Headers.ContentRange;
                    if (offset == 0 || range?.From != offset)
                    {
                        // Not the range we asked for: throw the part away and ask for the whole file.
                        File.Delete(part);
                        if (attempt > 0) throw new WeightsDownloadException($"cannot download {url}: the server answered with an unexpected range ({range})");
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

                await CopyBodyAsync(url, response, part, start, total, cancel);
                return start;
            }
        }
    }

    private async Task CopyBodyAsync(Uri url, HttpResponseMessage response, string part, long start, long? total, CancellationToken cancel)
    {
        var name = Path.GetFileName(part);
        if (name.EndsWith(".part", StringComparison.Ordinal)) name = name[..^5];
        var clock = Stopwatch.StartNew();
        TimeSpan? lastReport = null;
        var received = start;
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
                    throw new IOException($"no data for {StallTimeout.TotalSeconds:0} s", e);
                }
                if (read == 0) break;
                await file.WriteAsync(buffer.AsMemory(0, read), cancel);
                received += read;
                if (Progress is not null && (lastReport is null || clock.Elapsed - lastReport.Value >= ProgressInterval))
                {
                    lastReport = clock.Elapsed;
                    Progress(new DownloadProgress(name, received, total, start, clock.Elapsed, Done: false));
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Interrupted(url, part, received, total, e.Message, e);
        }
        if (total is { } expected && received > expected)
        {
            File.Delete(part);
            throw new WeightsDownloadException($"download of {url} produced {received:N0} bytes, more than the {expected:N0} announced; the part was deleted");
        }
        if (total is { } announced && received < announced)
            throw Interrupted(url, part, received, total, "the connection closed early", null);
        Progress?.Invoke(new DownloadProgress(name, received, total ?? received, start, clock.Elapsed, Done: true));
    }

    private static WeightsDownloadException Interrupted(Uri url, string part, long received, long? total, string why, Exception? inner) =>
        new($"download of {url} was interrupted after {received:N0}{(total is { } t ? $" of {t:N0}" : "")} bytes ({why}); " +
            $"{part} is kept: run the same command again to resume", inner);
}
