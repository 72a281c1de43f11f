using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Data;

/// <summary>Builds normalised NCHW float batches from decoded images: an epoch at a time through a <see cref="BatchLoader"/>.</summary>
public sealed class Batches(DecodedImages images, Normalization normalization)
{
    public DecodedImages Images => images;
    public Normalization Normalization => normalization;

    /// <summary>Loader threads (default: <see cref="BatchLoader.DefaultWorkers"/>).</summary>
    public int Workers { get; init; } = BatchLoader.DefaultWorkers();

    /// <summary>The most batches that exist at once per loader (default: <see cref="BatchLoader.DefaultCapacity"/>).</summary>
    public int? Capacity { get; init; }

    /// <summary>
    /// One training epoch: <paramref name="items"/> shuffled from (seed, epoch), each augmented with its own random stream
    /// from (seed, epoch, position), so the batches depend on nothing else (not on the worker count).
    /// </summary>
    public BatchLoader Epoch(IReadOnlyList<DatasetItem> items, int batchSize, IReadOnlyList<AugmentOp> augment, int seed, int epoch,
        CancellationToken cancel = default) =>
        Loader(BatchLoader.Shuffle(items, seed, epoch), batchSize, augment, seed, epoch, cancel);

    /// <summary>The items in the given order, not augmented (evaluation).</summary>
    public BatchLoader InOrder(IReadOnlyList<DatasetItem> items, int batchSize, CancellationToken cancel = default) =>
        Loader(items, batchSize, [], 0, 0, cancel);

    private BatchLoader Loader(IReadOnlyList<DatasetItem> items, int batchSize, IReadOnlyList<AugmentOp> augment, int seed, int epoch,
        CancellationToken cancel) =>
        new(images, normalization, items, batchSize, augment, seed, epoch, Workers,
            Capacity ?? BatchLoader.DefaultCapacity(Workers, (long)Math.Min(batchSize, Math.Max(items.Count, 1)) * images.BytesPerImage * sizeof(float)),
            cancel);

    /// <summary>One batch built on the calling thread, every item augmented from the one <paramref name="random"/> stream, on the CPU.</summary>
    public (Tensor Images, Tensor Labels) Make(IReadOnlyList<DatasetItem> items, IReadOnlyList<AugmentOp> augment, Random random)
    {
        var size = images.Size;
        var plane = size * size;
        var data = new float[items.Count * 3 * plane];
        var pixels = new byte[images.BytesPerImage];
        for (var n = 0; n < items.Count; n++)
        {
            images[items[n].Id].CopyTo(pixels);
            Augmenter.Apply(augment, pixels, size, random);
            normalization.ToChw(pixels, data.AsSpan(n * 3 * plane, 3 * plane));
        }
        var labels = items.Select(i => (long)i.Label).ToArray();
        return (torch.tensor(data, [items.Count, 3, size, size]), torch.tensor(labels));
    }
}
