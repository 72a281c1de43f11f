using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Runtime.ExceptionServices;
using OpenCvSharp;
using Runner.Core.Data;

namespace Runner.Torch.Data;

/// <summary>
/// A <see cref="DecodedImages"/> cache being filled while it is already read. Background workers decode the manifest's
/// images in order into a private temporary file, which readers see through a read-only mapping; a reader that needs an
/// image nobody has decoded yet decodes it itself, and one that needs an image another thread is decoding waits for it.
/// Each slot is claimed once (empty → decoding → ready, by compare-and-swap), so every image is decoded exactly once and
/// its bytes are the same whoever decodes it: an epoch read during the fill sees what it would see from a complete cache.
/// </summary>
/// <remarks>
/// When every slot is ready the file is flushed to disk, hashed, renamed into place with its index, and only then marked
/// complete (see <see cref="DecodedImages"/>). The first failure (a bad image, cancellation) stops the fill, removes the
/// temporary files and is rethrown to every later reader, so a fill never ends half-trusted.
/// </remarks>
internal sealed class CacheFill : IDisposable
{
    private const byte Empty = 0, Decoding = 1, Ready = 2;

    private readonly SplitManifest _manifest;
    private readonly int _size;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte[] _state;
    private readonly ConcurrentDictionary<string, Lazy<IdxFile>> _idx = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop;
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _ready;
    private ExceptionDispatchInfo? _failure;
    private TimeSpan? _elapsed;

    /// <summary>
    /// Starts filling a temporary file next to <paramref name="data"/> with <paramref name="workers"/> background threads
    /// (0: one per core); <paramref name="publish"/> gets the flushed temporary file's path once every image is in it.
    /// </summary>
    public CacheFill(SplitManifest manifest, int size, string data, int workers, Action<string> publish, CancellationToken cancel)
    {
        _manifest = manifest;
        _size = size;
        _state = new byte[manifest.Items.Count];
        _temporary = $"{data}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            _stream.SetLength((long)manifest.Items.Count * BytesPerImage);
            _file = MemoryMappedFile.CreateFromFile(_stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        }
        catch
        {
            _stream.Dispose();
            File.Delete(_temporary);
            throw;
        }
        var added = false;
        _view.SafeMemoryMappedViewHandle.DangerousAddRef(ref added);
        Base = _view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)_view.PointerOffset;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Completion = Task.Run(() => Run(workers, publish), CancellationToken.None); // _stop ends it: Run needs its cleanup
    }

    /// <summary>The start of the temporary file's mapping; slot i at i × <see cref="BytesPerImage"/>.</summary>
    public IntPtr Base { get; }

    public int BytesPerImage => _size * _size * 3;

    /// <summary>Done when the cache is complete and marked; faulted with the fill's first failure.</summary>
    public Task Completion { get; }

    /// <summary>Images decoded so far.</summary>
    public int Decoded => Volatile.Read(ref _ready);

    /// <summary>How long the fill took, or has taken so far.</summary>
    public TimeSpan Elapsed => _elapsed ?? _clock.Elapsed;

    /// <summary>Returns once slot <paramref name="slot"/> holds its image: decoding it here if nobody has claimed it yet.</summary>
    public void Ensure(int slot)
    {
        _failure?.Throw();
        if (Volatile.Read(ref _state[slot]) == Ready) return;
        if (Interlocked.CompareExchange(ref _state[slot], Decoding, Empty) == Empty)
        {
            Decode(slot);
            return;
        }
        lock (_gate)
            while (Volatile.Read(ref _state[slot]) != Ready)
            {
                _failure?.Throw();
                Monitor.Wait(_gate);
            }
    }

    private void Decode(int slot)
    {
        try
        {
            var item = _manifest.Items[slot];
            using var bgr = item.Index is { } index ? FromIdx(item.File, index)
                : ImageDecoder.Decode(Path.Combine(_manifest.Root, item.File), _size);
            using var rgb = DecodedImages.ToRgb(bgr, _size);
            RandomAccess.Write(_stream.SafeFileHandle, RawSpan.Of(rgb.Data, BytesPerImage), (long)slot * BytesPerImage); // the mapping sees it
            Volatile.Write(ref _state[slot], Ready);
            Interlocked.Increment(ref _ready);
            lock (_gate) Monitor.PulseAll(_gate);
        }
        catch (Exception e)
        {
            Fail(e);
            throw;
        }
    }

    private void Fail(Exception e)
    {
        lock (_gate)
        {
            _failure ??= ExceptionDispatchInfo.Capture(e);
            Monitor.PulseAll(_gate);
        }
        _stop.Cancel();
    }

    private void Run(int workers, Action<string> publish)
    {
        var count = _state.Length;
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount,
                CancellationToken = _stop.Token };
            Parallel.For(0, count, options, slot =>
            {
                if (Interlocked.CompareExchange(ref _state[slot], Decoding, Empty) == Empty) Decode(slot);
            });
            lock (_gate)
                while (Volatile.Read(ref _ready) < count) // the rest are being decoded by readers
                {
                    _failure?.Throw();
                    Monitor.Wait(_gate);
                }
            _stream.Flush(flushToDisk: true);
            publish(_temporary);
            _elapsed = _clock.Elapsed;
        }
        catch (Exception e)
        {
            Fail(e is AggregateException a ? a.InnerExceptions[0] : e);
            try { File.Delete(_temporary); } catch (IOException) { }
            _failure!.Throw(); // the first failure, whichever thread met it
        }
    }

    private Mat FromIdx(string file, int index)
    {
        var idx = _idx.GetOrAdd(file, f => new Lazy<IdxFile>(() => IdxFile.Read(Path.Combine(_manifest.Root, f)))).Value;
        using var gray = Mat.FromPixelData(idx.Dimensions[1], idx.Dimensions[2], MatType.CV_8UC1, idx.Item(index).ToArray());
        var bgr = new Mat();
        Cv2.CvtColor(gray, bgr, ColorConversionCodes.GRAY2BGR);
        return bgr;
    }

    /// <summary>Stops the fill (if still running), waits for its workers and unmaps the file. Readers must be done.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try { Completion.Wait(); } catch (AggregateException) { }
        _view.SafeMemoryMappedViewHandle.DangerousRelease();
        _view.Dispose();
        _file.Dispose();
        _stream.Dispose();
        _stop.Dispose();
    }
}
