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
    /// <summary>Probabilities per item, in <paramref name="items"/>' order; batches are built (not augmented) by loader threads.</summary>
    public static SplitPredictions Predict(nn.Module<Tensor, Tensor> model, Head head, Batches batches,
        IReadOnlyList<DatasetItem> items, int batchSize, Device device, CancellationToken cancel = default)
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
                var p = head.Probabilities(model.forward(batch.Images.to(device))).to(torch.CPU).to_type(ScalarType.Float64);
                var flat = p.data<double>().ToArray();
                for (var n = 0; n < batch.Count; n++) probabilities.Add(flat.AsSpan(n * head.Classes, head.Classes).ToArray());
            }
        }
        return new SplitPredictions(items.Select(i => i.Id).ToList(), items.Select(i => i.Label).ToList(), probabilities);
    }
}
