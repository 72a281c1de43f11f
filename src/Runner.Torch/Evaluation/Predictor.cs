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
        var probabilities = Rows(model, batches, items, batchSize, device, images =>
        {
            var p = head.Probabilities(model.forward(images));
            return hflip ? (p + head.Probabilities(model.forward(images.flip(3)))) / 2 : p;
        }, cancel);
        return new SplitPredictions(items.Select(i => i.Id).ToList(), items.Select(i => i.Label).ToList(), probabilities);
    }

    /// <summary>One row per item, in <paramref name="items"/>' order: what <paramref name="output"/> makes of each batch ([batch, width]), in eval mode.</summary>
    public static List<double[]> Rows(nn.Module<Tensor, Tensor> model, Batches batches, IReadOnlyList<DatasetItem> items, int batchSize,
        Device device, Func<Tensor, Tensor> output, CancellationToken cancel = default)
    {
        model.eval();
        var rows = new List<double[]>(items.Count);
        using var _ = torch.inference_mode();
        using var loader = batches.InOrder(items, batchSize, cancel);
        while (loader.Next() is { } batch)
        {
            using (batch)
            using (torch.NewDisposeScope())
            {
                var values = output(batch.Images.to(device));
                var width = (int)values.shape[1];
                var flat = values.to(torch.CPU).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
                for (var n = 0; n < batch.Count; n++) rows.Add(flat.AsSpan(n * width, width).ToArray());
            }
        }
        return rows;
    }
}
