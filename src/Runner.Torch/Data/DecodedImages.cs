using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
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
/// A fill (<see cref="CacheFill"/>) writes <c>K.u8</c> under a private temporary name in parallel, flushes it to disk,
/// renames both files into place and only then writes the marker, so a process killed at any point leaves either a
/// trusted cache or one that the next use rebuilds. Two processes filling the same key at once produce identical files;
/// the last rename wins. The instance is readable from the fill's start: an image not decoded yet is decoded by the
/// reader that first needs it, so the first epoch trains while the rest of the cache fills.
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
    private readonly CacheFill? _fill;
    private IntPtr _base;
    private bool _shared;

    /// <summary>Over the fill of <paramref name="path"/> when there is one, else over the complete file.</summary>
    private DecodedImages(int size, string path, IReadOnlyList<string> ids, CacheFill? fill)
    {
        Size = size;
        Path = path;
        _slots = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++) _slots[ids[i]] = i;
        _fill = fill;
        if (fill is not null)
        {
            _base = fill.Base;
            return;
        }
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

    /// <summary>How many images this instance has decoded: 0 when it found a complete cache.</summary>
    public int Decoded => _fill?.Decoded ?? 0;

    /// <summary>How long decoding and writing the cache took, or has taken so far (zero when it was already complete).</summary>
    public TimeSpan FillTime => _fill?.Elapsed ?? TimeSpan.Zero;

    /// <summary>Waits until the cache is complete and marked on disk; throws what stopped its fill.</summary>
    public void WaitComplete() => _fill?.Completion.GetAwaiter().GetResult();

    public ReadOnlySpan<byte> this[string id] => this[SlotOf(id)];

    public ReadOnlySpan<byte> this[int slot]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(slot);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Count);
            ObjectDisposedException.ThrowIf(_base == IntPtr.Zero, this);
            _fill?.Ensure(slot);
            return RawSpan.Of(_base + (nint)((long)slot * BytesPerImage), BytesPerImage);
        }
    }

    public int SlotOf(string id) =>
        _slots.TryGetValue(id, out var slot) ? slot : throw new KeyNotFoundException($"image '{id}' is not in {Path}");

    /// <summary>
    /// The process-wide instance (do not dispose) for (manifest, size) under <c>$RUNNER_HOME/images</c>. When no complete
    /// cache exists it returns at once while <paramref name="workers"/> threads (0: one per core) fill it in the
    /// background; the fill belongs to the process, not to the caller, and <see cref="WaitForFills"/> lets it finish.
    /// </summary>
    public static DecodedImages For(SplitManifest manifest, int size, int workers = 0)
    {
        var directory = RunnerHome.Images;
        var key = FilePath(directory, manifest, size, out var digest);
        Lazy<DecodedImages> lazy = null!;
        lazy = Shared.GetOrAdd(key, _ => new Lazy<DecodedImages>(() =>
        {
            var images = OpenOrStart(manifest, size, directory, digest, workers, CancellationToken.None);
            images._shared = true;
            images._fill?.Completion.ContinueWith(_ => Forget(), TaskContinuationOptions.OnlyOnFaulted);
            return images;
        }));
        void Forget() => Shared.TryRemove(new KeyValuePair<string, Lazy<DecodedImages>>(key, lazy)); // the next use tries again
        try
        {
            return lazy.Value;
        }
        catch
        {
            Forget();
            throw;
        }
    }

    /// <summary>Waits for every fill <see cref="For"/> started (the caller's work is done; the cache should be); a failed one is a warning.</summary>
    public static void WaitForFills(TextWriter warnings)
    {
        foreach (var lazy in Shared.Values.Where(l => l.IsValueCreated))
            try
            {
                lazy.Value.WaitComplete();
            }
            catch (Exception e)
            {
                warnings.WriteLine($"WARNING {lazy.Value.Path}: the decoded-image cache was not completed: {e.Message}");
            }
    }

    /// <summary>
    /// A private instance (the caller disposes it) over the complete cache in <paramref name="directory"/>, filled first if needed.
    /// </summary>
    public static DecodedImages Open(SplitManifest manifest, int size, string directory, int workers = 0, CancellationToken cancel = default)
    {
        var images = Begin(manifest, size, directory, workers, cancel);
        try
        {
            images.WaitComplete();
            return images;
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>A private instance (the caller disposes it) over the cache in <paramref name="directory"/>, readable while it fills.</summary>
    public static DecodedImages Begin(SplitManifest manifest, int size, string directory, int workers = 0, CancellationToken cancel = default)
    {
        directory = System.IO.Path.GetFullPath(directory);
        FilePath(directory, manifest, size, out var digest);
        return OpenOrStart(manifest, size, directory, digest, workers, cancel);
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

    private static DecodedImages OpenOrStart(SplitManifest manifest, int size, string directory, string digest, int workers,
        CancellationToken cancel)
    {
        var data = System.IO.Path.Combine(directory, digest + ".u8");
        var ids = manifest.Items.Select(i => i.Id).ToList();
        if (ids.Count == 0) return new DecodedImages(size, data, ids, null);
        if (TryOpen(data, size, ids) is { } existing) return existing;

        Directory.CreateDirectory(directory);
        File.Delete(Marker(data)); // present but not trusted (wrong length or index): never trust it again
        RemoveAbandoned(directory);
        RequireSpace(data, (long)ids.Count * size * size * 3);
        var fill = new CacheFill(manifest, size, data, workers, temporary => Publish(temporary, data, ids, size), cancel);
        return new DecodedImages(size, data, ids, fill);
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
            return new DecodedImages(size, data, ids, null);
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

    /// <summary>Hashes the filled temporary file, writes its index, renames both into place, then writes the marker.</summary>
    private static void Publish(string temporary, string data, IReadOnlyList<string> ids, int size)
    {
        var bytesPerImage = size * size * 3;
        var indexTemporary = temporary + ".idx";
        var markerTemporary = temporary + ".complete";
        try
        {
            File.WriteAllBytes(indexTemporary, JsonSerializer.SerializeToUtf8Bytes(
                new IndexFile(FormatVersion, size, bytesPerImage, ids, ChunkHashes(temporary))));
            File.Move(temporary, data, overwrite: true);
            File.Move(indexTemporary, IndexPath(data), overwrite: true);
            File.WriteAllText(markerTemporary, MarkerText(ids.Count, bytesPerImage));
            File.Move(markerTemporary, Marker(data), overwrite: true);
        }
        finally
        {
            foreach (var leftover in new[] { indexTemporary, markerTemporary })
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

    /// <summary>BGR of any size → RGB bytes at size×size (area filter when shrinking, cubic when enlarging).</summary>
    internal static byte[] ToRgbBytes(Mat bgr, int size)
    {
        using var rgb = ToRgb(bgr, size);
        var bytes = new byte[size * size * 3];
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>BGR of any size → a continuous RGB Mat at size×size (area filter when shrinking, cubic when enlarging).</summary>
    internal static Mat ToRgb(Mat bgr, int size)
    {
        using var resized = new Mat();
        var shrinking = bgr.Width > size || bgr.Height > size;
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(size, size), interpolation: shrinking ? InterpolationFlags.Area : InterpolationFlags.Cubic);
        var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        if (!rgb.IsContinuous()) throw new InvalidOperationException("OpenCV returned a non-continuous image");
        return rgb;
    }

    /// <summary>Stops a fill still running and unmaps the file. Instances from <see cref="For"/> belong to the process and ignore this.</summary>
    public void Dispose()
    {
        if (_shared || _base == IntPtr.Zero) return;
        _base = IntPtr.Zero;
        if (_fill is not null)
        {
            _fill.Dispose();
            return;
        }
        _view!.SafeMemoryMappedViewHandle.DangerousRelease();
        _view.Dispose();
        _file!.Dispose();
    }
}
