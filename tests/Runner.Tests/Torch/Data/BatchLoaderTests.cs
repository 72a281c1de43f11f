using System.Text.Json.Nodes;
using TorchSharp;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;
using Runner.Torch.Models;

namespace Runner.Tests.Torch.Data;

/// <summary>The loader: identical batches in the same order whatever the worker count, bounded, errors and cancellation surface.</summary>
public sealed class BatchLoaderTests : IDisposable
{
    private static readonly AugmentOp[] Article = [new AugmentOp.HFlip(0.5), new AugmentOp.CornerCrop(0.5, 0.75)];
    private readonly TinyImages _data = new(perClass: 11);
    private readonly DecodedImages _images;

    public BatchLoaderTests() => _images = _data.Open(16);

    public void Dispose()
    {
        _images.Dispose();
        _data.Dispose();
    }

    private sealed record Snapshot(int Index, float[] Images, long[] Labels, long[] Shape);

    private static List<Snapshot> Drain(BatchLoader loader)
    {
        var batches = new List<Snapshot>();
        foreach (var batch in loader)
            using (batch)
                batches.Add(new Snapshot(batch.Index, batch.Images.data<float>().ToArray(), batch.Labels.data<long>().ToArray(), batch.Images.shape));
        return batches;
    }

    private List<Snapshot> Epoch(int workers, IReadOnlyList<AugmentOp> augment, int epoch, int seed = 42, int batchSize = 4)
    {
        using var loader = TinyImages.BatchesOver(_images, workers).Epoch(_data.Items, batchSize, augment, seed, epoch);
        return Drain(loader);
    }

    private static void AssertSame(List<Snapshot> expected, List<Snapshot> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(i, actual[i].Index);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.Equal(expected[i].Labels, actual[i].Labels);
            Assert.True(expected[i].Images.AsSpan().SequenceEqual(actual[i].Images), $"batch {i} differs");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Same_seed_gives_identical_batches_for_1_2_and_4_workers(bool augment)
    {
        var ops = augment ? Article : [];
        var one = Epoch(1, ops, epoch: 0);
        Assert.Equal(6, one.Count); // 22 items, batch 4: 5 full and one of 2
        Assert.Equal([2L, 3, 16, 16], one[^1].Shape);
        AssertSame(one, Epoch(2, ops, epoch: 0));
        AssertSame(one, Epoch(4, ops, epoch: 0));
        AssertSame(one, Epoch(4, ops, epoch: 0)); // and again: nothing depends on timing
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_epoch_read_while_its_cache_fills_gives_the_batches_of_a_complete_cache(int fillWorkers)
    {
        var complete = Epoch(2, Article, epoch: 0);
        // A fresh cache elsewhere: the loader decodes what the background fill has not reached yet.
        using var filling = DecodedImages.Begin(_data.Manifest, 16, Path.Combine(_data.Root, $"fresh-{fillWorkers}"), fillWorkers);
        using (var loader = TinyImages.BatchesOver(filling, workers: 2).Epoch(_data.Items, 4, Article, 42, 0))
            AssertSame(complete, Drain(loader));
        filling.WaitComplete();
        Assert.Equal(_data.Items.Count, filling.Decoded); // each image once, whoever decoded it
        Assert.Equal(File.ReadAllBytes(_images.Path), File.ReadAllBytes(filling.Path));
    }

    [Fact]
    public void Batches_are_the_shuffled_items_augmented_from_their_own_stream()
    {
        const int seed = 42, epoch = 3, batchSize = 4;
        var order = BatchLoader.Shuffle(_data.Items, seed, epoch);
        var batches = Epoch(2, Article, epoch, seed, batchSize);
        var normalization = Normalization.ImageNet;
        var chw = 3 * 16 * 16;
        for (var position = 0; position < order.Count; position++)
        {
            var pixels = _images[order[position].Id].ToArray();
            Augmenter.Apply(Article, pixels, 16, BatchLoader.ItemRandom(seed, epoch, position));
            var expected = new float[chw];
            normalization.ToChw(pixels, expected);
            var batch = batches[position / batchSize];
            Assert.True(batch.Images.AsSpan((position % batchSize) * chw, chw).SequenceEqual(expected), $"item {position}");
            Assert.Equal(order[position].Label, batch.Labels[position % batchSize]);
        }
    }

    [Fact]
    public void Without_augmentation_a_batch_equals_the_direct_computation()
    {
        var batches = TinyImages.BatchesOver(_images, 3);
        var direct = batches.Make(_data.Items.Take(5).ToList(), [], new Random(0));
        using var loader = batches.InOrder(_data.Items, 5);
        using var first = loader.Next()!;
        using (direct.Images)
        using (direct.Labels)
        {
            Assert.Equal(direct.Images.shape, first.Images.shape);
            Assert.True(direct.Images.data<float>().ToArray().AsSpan().SequenceEqual(first.Images.data<float>().ToArray()));
            Assert.Equal(direct.Labels.data<long>().ToArray(), first.Labels.data<long>().ToArray());
        }
    }

    [Fact]
    public void Each_epoch_has_its_own_order_and_augmentation()
    {
        var epoch0 = BatchLoader.Shuffle(_data.Items, 42, 0).Select(i => i.Id.ToString()).ToList();
        var epoch1 = BatchLoader.Shuffle(_data.Items, 42, 1).Select(i => i.Id.ToString()).ToList();
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(epoch0.Order(), epoch1.Order()); // a permutation of the same items
        Assert.Equal(epoch0, BatchLoader.Shuffle(_data.Items, 42, 0).Select(i => i.Id.ToString()).ToList());
        Assert.NotEqual(epoch0, BatchLoader.Shuffle(_data.Items, 43, 0).Select(i => i.Id.ToString()).ToList());

        var a = Epoch(2, Article, epoch: 0);
        var b = Epoch(2, Article, epoch: 1);
        Assert.False(a[0].Images.AsSpan().SequenceEqual(b[0].Images));
    }

    [Fact]
    public void Augmentation_changes_pixels()
    {
        var plain = Epoch(2, [], epoch: 0);
        var flipped = Epoch(2, [new AugmentOp.HFlip(1.0)], epoch: 0);
        Assert.Equal(plain.Select(b => b.Labels), flipped.Select(b => b.Labels));
        Assert.False(plain[0].Images.AsSpan().SequenceEqual(flipped[0].Images));
    }

    [Fact]
    public void A_slow_consumer_never_has_more_than_capacity_batches_in_flight()
    {
        using var loader = TinyImages.BatchesOver(_images, workers: 4, capacity: 2).InOrder(_data.Items, 2);
        Assert.Equal(11, loader.BatchCount);
        var taken = 0;
        foreach (var batch in loader)
        {
            using (batch)
            {
                Assert.Equal(taken++, batch.Index);
                Thread.Sleep(20); // workers are idle by now, waiting for a permit
                Assert.True(loader.MaxInFlight <= 2, $"{loader.MaxInFlight} batches in flight");
            }
        }
        Assert.Equal(11, taken);
        Assert.Equal(2, loader.MaxInFlight);
        Assert.True(loader.Waited >= TimeSpan.Zero);
    }

    [Fact]
    public void A_consumer_that_keeps_up_with_fast_workers_hardly_waits()
    {
        using var loader = TinyImages.BatchesOver(_images, workers: 2, capacity: 4).InOrder(_data.Items, 2);
        Thread.Sleep(200); // let the workers fill the queue
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 4; i++) loader.Next()!.Dispose();
        Assert.True(loader.Waited <= clock.Elapsed);
        Assert.True(loader.Waited < TimeSpan.FromMilliseconds(50), $"waited {loader.Waited.TotalMilliseconds} ms for ready batches");
    }

    private sealed record Unknown() : AugmentOp(1.0);

    [Fact]
    public void A_worker_error_reaches_the_consumer()
    {
        using var loader = TinyImages.BatchesOver(_images, 2).Epoch(_data.Items, 4, [new Unknown()], 1, 0);
        var error = Assert.Throws<NotSupportedException>(() => loader.Next());
        Assert.Contains("Unknown", error.Message);
    }

    [Fact]
    public void Cancellation_and_early_dispose_stop_the_workers()
    {
        using var cancel = new CancellationTokenSource();
        var loader = TinyImages.BatchesOver(_images, workers: 3, capacity: 2).InOrder(_data.Items, 1, cancel.Token);
        loader.Next()!.Dispose();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            while (loader.Next() is { } batch) batch.Dispose();
        });
        loader.Dispose(); // joins the workers and disposes the batches nobody took
        Assert.Throws<ObjectDisposedException>(() => loader.Next());

        using var abandoned = TinyImages.BatchesOver(_images, workers: 2).InOrder(_data.Items, 3);
        abandoned.Next()!.Dispose();
    }

    [Fact]
    public void An_empty_list_has_no_batches()
    {
        using var loader = TinyImages.BatchesOver(_images, 2).Epoch([], 4, Article, 1, 0);
        Assert.Equal(0, loader.BatchCount);
        Assert.Null(loader.Next());
    }

    [Fact]
    public void Default_capacity_is_workers_plus_two_within_the_memory_budget()
    {
        Assert.Equal(6, BatchLoader.DefaultCapacity(4));
        Assert.Equal(6, BatchLoader.DefaultCapacity(4, 32L * 3 * 224 * 224 * 4)); // 19 MB batches: all fit
        Assert.Equal(3, BatchLoader.DefaultCapacity(16, BatchLoader.DefaultBudgetBytes / 3));
        Assert.Equal(2, BatchLoader.DefaultCapacity(16, BatchLoader.DefaultBudgetBytes * 2)); // never fewer than two
    }

    [Fact]
    public void Workers_default_to_the_cores_unless_the_variable_says_otherwise()
    {
        var saved = Environment.GetEnvironmentVariable(BatchLoader.WorkersVariable);
        try
        {
            Environment.SetEnvironmentVariable(BatchLoader.WorkersVariable, null);
            Assert.Equal(Environment.ProcessorCount, BatchLoader.DefaultWorkers());
            Environment.SetEnvironmentVariable(BatchLoader.WorkersVariable, "3");
            Assert.Equal(3, BatchLoader.DefaultWorkers());
        }
        finally
        {
            Environment.SetEnvironmentVariable(BatchLoader.WorkersVariable, saved);
        }
    }
}
