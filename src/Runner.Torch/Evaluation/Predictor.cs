using Runner.Core.Data;
using Runner.Core.Results;
using Runner.Torch.Data;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Evaluation;

/// <summary>Runs a model in eval mode over a list of items and returns class probabilities.</summary>
public static class Predictor
{
    /// <summary>
    /// Probabilities per item, in <paramref name="items"/>' order; batches are built (not augmented) by loader threads. With
    /// <paramref name="hflip"/> (test-time augmentation) each row is the mean of the probabilities of the image and of its
    /// left–right mirror (the normalised batch flipped along its width, which equals normalising the mirrored image).
    /// </summary>
    public static SplitPredictions Predict(nn.Module<Tensor, Tensor> model, Head head, Batches batches,
        IReadOnlyList<DatasetItem> items, int batchSize, Device device, CancellationToken cancel = default, bool hflip = false)
    {
        model.eval();
        var probabilities = new List<double[]>(items.Count);
        using var _ = torch.inference_mode();
        using var loader = batches.InOrder(items, batchSize, cancel);
        while (loader.Next() is { } batch)
        {
            using (batch)
            using (torch.NewDisposeScope())
            {
                var images = batch.Images.to(device);
                var p = head.Probabilities(model.forward(images));
                if (hflip) p = (p + head.Probabilities(model.forward(images.flip(3)))) / 2;
                var flat = p.to(torch.CPU).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
                for (var n = 0; n < batch.Count; n++) probabilities.Add(flat.AsSpan(n * head.Classes, head.Classes).ToArray());
            }
        }
        return new SplitPredictions(items.Select(i => i.Id).ToList(), items.Select(i => i.Label).ToList(), probabilities);
    }
}
