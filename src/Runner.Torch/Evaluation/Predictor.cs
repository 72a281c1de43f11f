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
    public static SplitPredictions Predict(nn.Module<Tensor, Tensor> model, Head head, Batches batches,
        IReadOnlyList<DatasetItem> items, int batchSize, Device device)
    {
        model.eval();
        var probabilities = new List<double[]>(items.Count);
        using var _ = torch.inference_mode();
        for (var start = 0; start < items.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var chunk = items.Skip(start).Take(batchSize).ToList();
            var (images, _) = batches.Make(chunk, [], Random.Shared);
            var p = head.Probabilities(model.forward(images.to(device))).to(torch.CPU).to_type(ScalarType.Float64);
            var flat = p.data<double>().ToArray();
            for (var n = 0; n < chunk.Count; n++) probabilities.Add(flat.AsSpan(n * head.Classes, head.Classes).ToArray());
        }
        return new SplitPredictions(items.Select(i => i.Id).ToList(), items.Select(i => i.Label).ToList(), probabilities);
    }
}
