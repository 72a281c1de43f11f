using TorchSharp;
using Runner.Core.Evaluation;
using Runner.Tests.Fixtures;
using Runner.Torch.Data;
using Runner.Torch.Evaluation;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Evaluation;

/// <summary>h-flip test-time augmentation: the mean of the probabilities of each image and of its mirror.</summary>
public sealed class TtaPredictorTests : IDisposable
{
    private readonly TinyImages _data = new(perClass: 5);
    private readonly DecodedImages _images;

    public TtaPredictorTests() => _images = _data.Open(8);

    public void Dispose()
    {
        _images.Dispose();
        _data.Dispose();
    }

    /// <summary>Not mirror-symmetric: a linear layer over the flattened pixels.</summary>
    private static nn.Module<Tensor, Tensor> Model(int outputs)
    {
        torch.manual_seed(11);
        return nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, outputs));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Hflip_averages_the_image_and_its_mirror_and_differs_from_one_pass(int classes)
    {
        var head = new Head(classes);
        using var model = Model(head.Outputs);
        var items = _data.Items.ToList();
        var batches = TinyImages.BatchesOver(_images, workers: 2);

        var plain = Predictor.Predict(model, head, batches, items, 3, torch.CPU);
        var tta = Predictor.Predict(model, head, batches, items, 3, torch.CPU, hflip: true);

        Assert.Equal(items.Select(i => i.Id.ToString()), tta.Ids);
        Assert.Equal(items.Select(i => i.Label), tta.Labels);
        model.eval();
        using var _ = torch.inference_mode();
        var changed = 0;
        for (var i = 0; i < items.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            // The mirror built independently: flip the RGB bytes left–right, then normalise.
            var size = _images.Size;
            var pixels = _images[items[i].Id].ToArray();
            var mirrored = new byte[pixels.Length];
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    for (var c = 0; c < 3; c++)
                        mirrored[(y * size + x) * 3 + c] = pixels[(y * size + (size - 1 - x)) * 3 + c];
            var image = Probabilities(model, head, ImagePrediction.ToTensor([pixels], size, batches.Normalization));
            var mirror = Probabilities(model, head, ImagePrediction.ToTensor([mirrored], size, batches.Normalization));
            var expected = TestTimeAugmentation.Average(image, mirror);
            for (var c = 0; c < classes; c++)
            {
                Assert.Equal(image[c], plain.Probabilities[i][c], 1e-5);
                Assert.Equal(expected[c], tta.Probabilities[i][c], 1e-5);
            }
            if (Math.Abs(tta.Probabilities[i][0] - plain.Probabilities[i][0]) > 1e-4) changed++;
        }
        Assert.True(changed > 0, "the mirror must change some predictions for this test to mean anything");
    }

    private static double[] Probabilities(nn.Module<Tensor, Tensor> model, Head head, Tensor input) =>
        head.Probabilities(model.forward(input)).to_type(ScalarType.Float64).data<double>().ToArray();
}
