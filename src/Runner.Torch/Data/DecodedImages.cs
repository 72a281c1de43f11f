using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using OpenCvSharp;
using Runner.Core.Data;
using Runner.Core.Util;

namespace Runner.Torch.Data;

/// <summary>
/// A split manifest's images decoded once, converted to RGB and resized to size×size (HWC bytes), kept on disk in a
/// memory-mapped file so that later epochs, eval and timing tasks and later runs never decode them again, while the
/// process's own memory stays small whatever the dataset size (the OS pages the file in and out).
/// </summary>
/// <remarks>
/// Layout under the cache folder (default <c>$RUNNER_HOME/images</c>), for <c>K</c> = SHA-256 of (format version, size,
/// every item's id/file/index, every file's content digest from <see cref="FileDigests"/>):
/// <list type="bullet">
/// <item><c>K.u8</c>: slot i at byte i × size × size × 3, slots in manifest order, nothing else;</item>
/// <item><c>K.idx</c>: JSON {version, size, bytes_per_image, ids, chunk_sha256}: slot → id, and the SHA-256 of each
/// <see cref="ChunkBytes"/> of <c>K.u8</c>, checked whenever a process opens the cache: a damaged file is decoded again;</item>
/// <item><c>K.complete</c>: written last. Without it the other two are never trusted.</item>
/// </list>
/// A fill writes <c>K.u8</c> under a private temporary name in parallel, flushes it to disk, renames both files into
/// place and only then writes the marker, so a process killed at any point leaves either a trusted cache or one that
/// the next use rebuilds. Two processes filling the same key at once produce identical files; the last rename wins.
/// </remarks>
public sealed class DecodedImages : IDisposable
{
    private const int FormatVersion = 3;

    /// <summary>The span of <c>K.u8</c> each hash in the index covers (the last chunk may be shorter).</summary>
    public const int ChunkBytes = 16 << 20;
    private static readonly ConcurrentDictionary<string, Lazy<DecodedImages>> Shared = new();

    private readonly Dictionary<string, int> _slots;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private IntPtr _base;
    private bool _shared;

    private DecodedImages(int size, string path, IReadOnlyList<string> ids, int decoded, TimeSpan fillTime)
    {
        Size = size;
        Path = path;
        Decoded = decoded;
        FillTime = fillTime;
        _slots = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++) _slots[ids[i]] = i;
        if (ids.Count == 0) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length != (long)ids.Count * BytesPerImage)
            throw new InvalidDataException($"{path}: {stream.Length} bytes, expected {(long)ids.Count * BytesPerImage}");
        _file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var added = false;
        _view.SafeMemoryMappedViewHandle.DangerousAddRef(ref added);
        _base = _view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)_view.PointerOffset;
    }

    public int Size { get; }
    public int BytesPerImage => Size * Size * 3;
    public int Count => _slots.Count;

    /// <summary>The <c>.u8</c> file the pixels are read from.</summary>
    public string Path { get; }

    /// <summary>How many images this instance decoded: 0 when it found a complete cache.</summary>
    public int Decoded { get; }

    /// <summary>How long decoding and writing the cache took (zero when it was already complete).</summary>
    public TimeSpan FillTime { get; }

    public ReadOnlySpan<byte> this[string id] => this[SlotOf(id)];

    public ReadOnlySpan<byte> this[int slot]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(slot);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Count);
            ObjectDisposedException.ThrowIf(_base == IntPtr.Zero, this);
            return RawSpan.Of(_base + (nint)((long)slot * BytesPerImage), BytesPerImage);
        }
    }

    public int SlotOf(string id) =>
        _slots.TryGetValue(id, out var slot) ? slot : throw new KeyNotFoundException($"image '{id}' is not in {Path}");

    /// <summary>
    /// The process-wide instance (do not dispose) for (manifest, size) under <c>$RUNNER_HOME/images</c>, decoding
    /// (with <paramref name="workers"/> threads, 0: one per core) only when no complete cache exists yet.
    /// </summary>
    public static DecodedImages For(SplitManifest manifest, int size, int workers = 0, Action<int, int>? progress = null,
        CancellationToken cancel = default)
    {
        var directory = RunnerHome.Images;
        var key = FilePath(directory, manifest, size, out var digest);
        var lazy = Shared.GetOrAdd(key, _ => new Lazy<DecodedImages>(() =>
        {
            var images = OpenOrFill(manifest, size, directory, digest, workers, progress, cancel);
            images._shared = true;
            return images;
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Shared.TryRemove(new KeyValuePair<string, Lazy<DecodedImages>>(key, lazy)); // let the next use try again
            throw;
        }
    }

    /// <summary>A private instance (the caller disposes it) over the cache in <paramref name="directory"/>, filled if needed.</summary>
    public static DecodedImages Open(SplitManifest manifest, int size, string directory, int workers = 0, Action<int, int>? progress = null,
        CancellationToken cancel = default)
    {
        directory = System.IO.Path.GetFullPath(directory);
        FilePath(directory, manifest, size, out var digest);
        return OpenOrFill(manifest, size, directory, digest, workers, progress, cancel);
    }

    /// <summary>Deletes the cache files for (manifest, size) in <paramref name="directory"/> (marker first); open mappings stay valid.</summary>
    public static void Delete(SplitManifest manifest, int size, string? directory = null)
    {
        var data = FilePath(System.IO.Path.GetFullPath(directory ?? RunnerHome.Images), manifest, size, out _);
        if (Directory.Exists(System.IO.Path.GetDirectoryName(data)))
            foreach (var file in new[] { Marker(data), IndexPath(data), data }) File.Delete(file);
        Shared.TryRemove(data, out _);
    }

    /// <summary>The <c>.u8</c> path for (manifest, size) in <paramref name="directory"/>; the name is the cache key.</summary>
    public static string FilePath(string directory, SplitManifest manifest, int size, out string digest)
    {
        digest = Digest(manifest, size);
        return System.IO.Path.Combine(directory, digest + ".u8");
    }

    private static string IndexPath(string data) => System.IO.Path.ChangeExtension(data, ".idx");
    private static string Marker(string data) => System.IO.Path.ChangeExtension(data, ".complete");
    private static string MarkerText(int count, int bytesPerImage) => $"runner-images v{FormatVersion} {count} {bytesPerImage}\n";

    /// <summary>Format version, size, the item list and each file's content digest (not where the files are: another checkout shares the
    /// cache).</summary>
    private static string Digest(SplitManifest manifest, int size)
    {
        var text = new StringBuilder();
        text.Append("runner-images v").Append(FormatVersion).Append(" rgb area-shrink cubic-enlarge\n").Append(size).Append('\n');
        foreach (var item in manifest.Items)
            text.Append(item.Id).Append('\t').Append(item.File).Append('\t').Append(item.Index?.ToString(CultureInfo.InvariantCulture)
                ?? "-").Append('\n');
        var files = manifest.Items.Select(i => i.File).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var digests = FileDigests.Of(files.Select(f => System.IO.Path.Combine(manifest.Root, f)).ToList());
        for (var i = 0; i < files.Count; i++) text.Append(files[i]).Append('\t').Append(digests[i]).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    private sealed record IndexFile(int Version, int Size, int BytesPerImage, IReadOnlyList<string> Ids, IReadOnlyList<string> ChunkSha256);

    private static DecodedImages OpenOrFill(SplitManifest manifest, int size, string directory, string digest,
        int workers, Action<int, int>? progress, CancellationToken cancel)
    {
        var data = System.IO.Path.Combine(directory, digest + ".u8");
        var ids = manifest.Items.Select(i => i.Id).ToList();
        if (TryOpen(data, size, ids) is { } existing) return existing;

        Directory.CreateDirectory(directory);
        File.Delete(Marker(data)); // present but not trusted (wrong length or index): never trust it again
        RemoveAbandoned(directory);
        var clock = Stopwatch.StartNew();
        var decoded = Fill(manifest, size, data, workers, progress, cancel);
        return new DecodedImages(size, data, ids, decoded, clock.Elapsed);
    }

    private static DecodedImages? TryOpen(string data, int size, List<string> ids)
    {
        var bytesPerImage = size * size * 3;
        try
        {
            if (!File.Exists(Marker(data)) || File.ReadAllText(Marker(data)) != MarkerText(ids.Count, bytesPerImage)) return null;
            var index = JsonSerializer.Deserialize<IndexFile>(File.ReadAllBytes(IndexPath(data)));
            if (index is null || index.Version != FormatVersion || index.Size != size || index.BytesPerImage != bytesPerImage ||
                !index.Ids.SequenceEqual(ids, StringComparer.Ordinal)) return null;
            if (new FileInfo(data).Length != (long)ids.Count * bytesPerImage) return null;
            var actual = ChunkHashes(data);
            var damaged = Enumerable.Range(0, actual.Length).Where(c => c >= index.ChunkSha256.Count || actual[c] != index.ChunkSha256[c]).ToList();
            if (damaged.Count > 0 || actual.Length != index.ChunkSha256.Count)
            {
                Console.Error.WriteLine($"WARNING {data}: the decoded-image cache is damaged (chunk {string.Join(", ", damaged.Select(c => c + 1))} of " +
                    $"{actual.Length} differs from its SHA-256 in the index); decoding the images again");
                return null;
            }
            return new DecodedImages(size, data, ids, 0, TimeSpan.Zero);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>SHA-256 of each <see cref="ChunkBytes"/> of the file, hashed in parallel.</summary>
    private static string[] ChunkHashes(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        var hashes = new string[(int)((length + ChunkBytes - 1) / ChunkBytes)];
        Parallel.For(0, hashes.Length, () => new byte[ChunkBytes], (c, _, buffer) =>
        {
            var offset = (long)c * ChunkBytes;
            var span = buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - offset));
            for (var read = 0; read < span.Length;)
            {
                var n = RandomAccess.Read(handle, span[read..], offset + read);
                if (n == 0) throw new IOException($"{path}: ended early");
                read += n;
            }
            hashes[c] = Convert.ToHexStringLower(SHA256.HashData(span));
            return buffer;
        }, _ => { });
        return hashes;
    }

    /// <summary>Decodes every item into a temporary file, flushes it, renames it and the index into place, then writes the marker.</summary>
    private static int Fill(SplitManifest manifest, int size, string data, int workers, Action<int, int>? progress, CancellationToken cancel)
    {
        var bytesPerImage = size * size * 3;
        var items = manifest.Items;
        var temporary = $"{data}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var decoded = 0;
        try
        {
            RequireSpace(data, (long)items.Count * bytesPerImage);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
            {
                stream.SetLength((long)items.Count * bytesPerImage);
                var handle = stream.SafeFileHandle;
                var idx = new ConcurrentDictionary<string, Lazy<IdxFile>>(StringComparer.Ordinal);
                var options = new ParallelOptions { MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount,
                    CancellationToken = cancel };
                try
                {
                    Parallel.For(0, items.Count, options, i =>
                    {
                        var item = items[i];
                        using var bgr = item.Index is { } index ? FromIdx(manifest.Root, item.File, index, idx)
                            : ImageDecoder.Decode(System.IO.Path.Combine(manifest.Root, item.File), size);
                        using var rgb = ToRgb(bgr, size);
                        RandomAccess.Write(handle, RawSpan.Of(rgb.Data, bytesPerImage), (long)i * bytesPerImage);
                        var done = Interlocked.Increment(ref decoded);
                        progress?.Invoke(done, items.Count);
                    });
                }
                catch (AggregateException e)
                {
                    ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); // the first bad image, as the sequential decode reported it
                }
                stream.Flush(flushToDisk: true);
            }
            var indexTemporary = temporary + ".idx";
            File.WriteAllBytes(indexTemporary, JsonSerializer.SerializeToUtf8Bytes(
                new IndexFile(FormatVersion, size, bytesPerImage, items.Select(i => i.Id).ToList(), ChunkHashes(temporary))));
            File.Move(temporary, data, overwrite: true);
            File.Move(indexTemporary, IndexPath(data), overwrite: true);
            var markerTemporary = temporary + ".complete";
            File.WriteAllText(markerTemporary, MarkerText(items.Count, bytesPerImage));
            File.Move(markerTemporary, Marker(data), overwrite: true);
            return decoded;
        }
        finally
        {
            foreach (var leftover in new[] { temporary, temporary + ".idx", temporary + ".complete" })
                try { File.Delete(leftover); } catch (IOException) { }
        }
    }

    /// <summary>Deletes temporary files of fills whose process is gone (killed mid-fill); a live process's are left alone.</summary>
    private static void RemoveAbandoned(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.tmp*"))
        {
            // <key>.u8.<pid>.<guid>.tmp[.idx|.complete]
            var parts = System.IO.Path.GetFileName(file).Split('.');
            if (parts.Length < 5 || !int.TryParse(parts[2], out var pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void RequireSpace(string data, long bytes)
    {
        var root = System.IO.Path.GetPathRoot(System.IO.Path.GetFullPath(data));
        if (root is null) return;
        try
        {
            var free = new DriveInfo(root).AvailableFreeSpace;
            if (free < bytes + (64L << 20))
                throw new IOException($"{System.IO.Path.GetDirectoryName(data)}: the decoded-image cache needs {bytes / 1e6:0} MB, " +
                    $"only {free / 1e6:0} MB are free");
        }
        catch (ArgumentException) { } // not a drive DriveInfo understands: let the write fail by itself
    }

    private static Mat FromIdx(string root, string file, int index, ConcurrentDictionary<string, Lazy<IdxFile>> open)
    {
        var idx = open.GetOrAdd(file, f => new Lazy<IdxFile>(() => IdxFile.Read(System.IO.Path.Combine(root, f)))).Value;
        using var gray = Mat.FromPixelData(idx.Dimensions[1], idx.Dimensions[2], MatType.CV_8UC1, idx.Item(index).ToArray());
        var bgr = new Mat();
        Cv2.CvtColor(gray, bgr, ColorConversionCodes.GRAY2BGR);
        return bgr;
    }

    /// <summary>BGR of any size → RGB bytes at size×size (area filter when shrinking, cubic when enlarging).</summary>
    internal static byte[] ToRgbBytes(Mat bgr, int size)
    {
        using var rgb = ToRgb(bgr, size);
        var bytes = new byte[size * size * 3];
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>BGR of any size → a continuous RGB Mat at size×size (area filter when shrinking, cubic when enlarging).</summary>
    private static Mat ToRgb(Mat bgr, int size)
    {
        using var resized = new Mat();
        var shrinking = bgr.Width > size || bgr.Height > size;
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(size, size), interpolation: shrinking ? InterpolationFlags.Area : InterpolationFlags.Cubic);
        var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        if (!rgb.IsContinuous()) throw new InvalidOperationException("OpenCV returned a non-continuous image");
        return rgb;
    }

    /// <summary>Unmaps the file. Instances from <see cref="For"/> belong to the process and ignore this.</summary>
    public void Dispose()
    {
        if (_shared || _base == IntPtr.Zero) return;
        _base = IntPtr.Zero;
        _view!.SafeMemoryMappedViewHandle.DangerousRelease();
        _view.Dispose();
        _file!.Dispose();
    }
}
