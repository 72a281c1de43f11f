using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Data;

/// <summary>Builds normalised NCHW float batches from decoded images.</summary>
public sealed class Batches(DecodedImages images, Normalization normalization)
{
    /// <summary>Images (augmented when <paramref name="augment"/> has steps) and their labels, on the CPU.</summary>
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
