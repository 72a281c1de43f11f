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
            var offset = n * 3 * plane;
            for (var c = 0; c < 3; c++)
            {
                var source = normalization.Bgr ? 2 - c : c;
                var scale = normalization.Scale / (255f * normalization.Std[c]);
                var shift = normalization.Mean[c] / normalization.Std[c];
                var channel = offset + c * plane;
                for (var p = 0; p < plane; p++) data[channel + p] = pixels[p * 3 + source] * scale - shift;
            }
        }
        var labels = items.Select(i => (long)i.Label).ToArray();
        return (torch.tensor(data, [items.Count, 3, size, size]), torch.tensor(labels));
    }
}
