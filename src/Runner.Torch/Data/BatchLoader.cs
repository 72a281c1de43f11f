using System.Collections;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Execution;
using Runner.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Data;

/// <summary>
/// Builds an epoch's batches on worker threads, ahead of the consumer, and hands them out in order.
/// </summary>
/// <remarks>
/// Batch k holds items [k·B, (k+1)·B) of the list it was given; item j of the epoch is augmented with a
/// <see cref="Random"/> seeded from (seed, epoch, j) only, so the batches are identical whatever the worker count and
/// whichever worker builds which batch. A worker takes a permit before it claims the next batch index and the
/// consumer returns it when it takes a batch, so at most <see cref="Capacity"/> batches exist (being built or waiting)
/// at any time; each one goes to slot k mod capacity, which is free by then. Images are normalised straight into the
/// tensor's storage (no intermediate float array); pixels are read from the memory-mapped <see cref="DecodedImages"/>.
/// </remarks>
public sealed class BatchLoader : IDisposable, IEnumerable<Batch>
{
    /// <summary>Overrides the default worker count (one per core).</summary>
    public const string WorkersVariable = "RUNNER_LOADER_WORKERS";

    private readonly DecodedImages _images;
    private readonly Normalization _normalization;
    private readonly IReadOnlyList<DatasetItem> _items;
    private readonly int[] _slots;
    private readonly int _batchSize;
    private readonly IReadOnlyList<AugmentOp> _augment;
    private readonly int _seed;
    private readonly int _epoch;
    private readonly Batch?[] _ready;
    private readonly SemaphoreSlim _permits;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenRegistration _wake;
    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private int _claimed;
    private int _next;
    private int _inFlight;
    private int _maxInFlight;
    private long _waitTicks;
    private ExceptionDispatchInfo? _error;
    private bool _disposed;

    internal BatchLoader(DecodedImages images, Normalization normalization, IReadOnlyList<DatasetItem> items, int batchSize,
        IReadOnlyList<AugmentOp> augment, int seed, int epoch, int workers, int capacity, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _images = images;
        _normalization = normalization;
        _items = items;
        _slots = items.Select(i => images.SlotOf(i.Id)).ToArray();
        _batchSize = batchSize;
        _augment = augment;
        _seed = seed;
        _epoch = epoch;
        BatchCount = (items.Count + batchSize - 1) / batchSize;
        Capacity = capacity;
        _ready = new Batch?[capacity];
        _permits = new SemaphoreSlim(capacity, capacity);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _wake = _stop.Token.Register(() =>
        {
            lock (_gate) Monitor.PulseAll(_gate);
        });
        Workers = Math.Max(1, Math.Min(workers, BatchCount));
        _threads = Enumerable.Range(0, BatchCount == 0 ? 0 : Workers)
            .Select(w => new Thread(Work) { IsBackground = true, Name = $"runner-loader-{w}" })
            .ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    public int BatchCount { get; }
    public int Workers { get; }

    /// <summary>The most batches that exist at once (being built or ready, not yet taken).</summary>
    public int Capacity { get; }

    /// <summary>The most batches that did exist at once so far (never above <see cref="Capacity"/>).</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Time the consumer spent blocked in <see cref="Next"/>.</summary>
    public TimeSpan Waited => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _waitTicks));

    /// <summary>Default worker count: <see cref="WorkersVariable"/> when set (1 to <see cref="Concurrency.MaxThreads"/>, else invalid input), else
    /// one per core.</summary>
    public static int DefaultWorkers() =>
        Concurrency.FromEnvironment(WorkersVariable, 1, Concurrency.MaxThreads) ?? Environment.ProcessorCount;

    /// <summary>What the batches of one loader may take together by default (see <see cref="DefaultCapacity"/>).</summary>
    public const long DefaultBudgetBytes = 1L << 30;

    /// <summary>
    /// Default capacity: each worker builds one batch while two more wait ready, but no more than
    /// <see cref="DefaultBudgetBytes"/> of batches (and never fewer than two).
    /// </summary>
    public static int DefaultCapacity(int workers, long batchBytes = 0) =>
        batchBytes <= 0 ? workers + 2 : (int)Math.Clamp(DefaultBudgetBytes / batchBytes, 2, workers + 2);

    /// <summary>The epoch's order: a Fisher–Yates shuffle seeded from (seed, epoch) only.</summary>
    public static IReadOnlyList<T> Shuffle<T>(IReadOnlyList<T> items, int seed, int epoch)
    {
        var order = items.ToArray();
        var random = new Random(Mix(seed, epoch, -1));
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The random stream that augments item <paramref name="position"/> of an epoch.</summary>
    public static Random ItemRandom(int seed, int epoch, int position) => new(Mix(seed, epoch, position));

    private static int Mix(int seed, int epoch, int position)
    {
        static ulong SplitMix(ulong x)
        {
            x += 0x9E3779B97F4A7C15;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
            return x ^ (x >> 31);
        }
        var h = SplitMix((uint)seed);
        h = SplitMix(h ^ (uint)epoch);
        h = SplitMix(h ^ (uint)position);
        return (int)(h & int.MaxValue);
    }

    /// <summary>The next batch in order, waiting for it if needed; null after the last one. One consumer thread only.</summary>
    public Batch? Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_next >= BatchCount) return null;
        var start = Stopwatch.GetTimestamp();
        Batch batch;
        lock (_gate)
        {
            var slot = _next % Capacity;
            while (_ready[slot] is null)
            {
                _error?.Throw();
                _stop.Token.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }
            batch = _ready[slot]!;
            _ready[slot] = null;
        }
        Interlocked.Add(ref _waitTicks, Stopwatch.GetTimestamp() - start);
        Debug.Assert(batch.Index == _next);
        _next++;
        Interlocked.Decrement(ref _inFlight);
        _permits.Release();
        return batch;
    }

    public IEnumerator<Batch> GetEnumerator()
    {
        while (Next() is { } batch) yield return batch;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Work()
    {
        var pixels = _augment.Count > 0 ? new byte[_images.BytesPerImage] : null;
        while (true)
        {
            try
            {
                _permits.Wait(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var index = Interlocked.Increment(ref _claimed) - 1;
            if (index >= BatchCount) return; // the permit is not needed any more
            var inFlight = Interlocked.Increment(ref _inFlight);
            for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
                if (Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) == max) break;

            Batch batch;
            try
            {
                batch = Build(index, pixels);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _error ??= ExceptionDispatchInfo.Capture(e);
                    Monitor.PulseAll(_gate);
                }
                return;
            }
            lock (_gate)
            {
                if (_disposed)
                {
                    batch.Dispose();
                    return;
                }
                _ready[index % Capacity] = batch;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private Batch Build(int index, byte[]? pixels)
    {
        var first = index * _batchSize;
        var count = Math.Min(_batchSize, _items.Count - first);
        var size = _images.Size;
        var chw = 3 * size * size;
        var images = torch.empty([count, 3, size, size], ScalarType.Float32);
        try
        {
            var floats = MemoryMarshal.Cast<byte, float>(images.bytes);
            var labels = new long[count];
            for (var n = 0; n < count; n++)
            {
                var position = first + n;
                var target = floats.Slice(n * chw, chw);
                if (pixels is null) _normalization.ToChw(_images[_slots[position]], target);
                else
                {
                    _images[_slots[position]].CopyTo(pixels);
                    Augmenter.Apply(_augment, pixels, size, ItemRandom(_seed, _epoch, position));
                    _normalization.ToChw(pixels, target);
                }
                labels[n] = _items[position].Label;
            }
            return new Batch(index, count, images, torch.tensor(labels));
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>Stops the workers (each finishes the batch it is building) and disposes every batch not handed out.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        _stop.Cancel();
        foreach (var thread in _threads) thread.Join();
        for (var i = 0; i < _ready.Length; i++)
        {
            _ready[i]?.Dispose();
            _ready[i] = null;
        }
        _wake.Dispose();
        _stop.Dispose();
        _permits.Dispose();
    }
}
