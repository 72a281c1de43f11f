using TorchSharp;
using Runner.Core.Data;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;
using Runner.Torch.Evaluation;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Evaluation;

/// <summary>Predictions through the loader equal the direct computation, in item order, for any worker count.</summary>
public sealed class PredictorTests : IDisposable
{
    private readonly TinyImages _data = new(perClass: 7);
    private readonly DecodedImages _images;

    public PredictorTests() => _images = _data.Open(16);

    public void Dispose()
    {
        _images.Dispose();
        _data.Dispose();
    }

    private static nn.Module<Tensor, Tensor> Model(int outputs)
    {
        torch.manual_seed(3);
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, outputs));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    public void Predict_equals_forward_on_directly_built_batches(int classes, int workers)
    {
        var head = new Head(classes);
        using var model = Model(head.Outputs);
        var items = _data.Items.Reverse().ToList(); // any order: results follow it
        const int batchSize = 4;
        var batches = TinyImages.BatchesOver(_images, workers);

        var predicted = Predictor.Predict(model, head, batches, items, batchSize, torch.CPU);

        Assert.Equal(items.Select(i => i.Id.ToString()), predicted.Ids);
        Assert.Equal(items.Select(i => i.Label), predicted.Labels);
        model.eval();
        using var _ = torch.inference_mode();
        for (var start = 0; start < items.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var chunk = items.Skip(start).Take(batchSize).ToList();
            var (images, _) = batches.Make(chunk, [], new Random(0));
            var flat = head.Probabilities(model.forward(images)).to_type(ScalarType.Float64).data<double>().ToArray();
            for (var n = 0; n < chunk.Count; n++)
                Assert.Equal(flat.AsSpan(n * classes, classes).ToArray(), predicted.Probabilities[start + n]);
        }
    }
}
