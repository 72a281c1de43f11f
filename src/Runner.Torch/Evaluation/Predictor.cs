using Runner.Core.Data;
using Runner.Core.Results;
using Runner.Torch.Data;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Evaluation;

/// <summary>Runs a model in eval mode over a list of items and returns class probabilities.</summary>
internal static class Predictor
{
    /// <summary>
    /// Probabilities per item, in <paramref name="items"/>' order; batches are built (not augmented) by loader threads. With
    /// <paramref name="hflip"/> (test-time augmentation) each row is the mean of the probabilities of the image and of its
    /// left–right mirror (the normalised batch flipped along its width, which equals normalising the mirrored image).
    /// </summary>
    public static SplitPredictions Predict(nn.Module<Tensor, Tensor> model, Head head, Batches batches,
        IReadOnlyList<DatasetItem> items, int batchSize, Device device, bool hflip = false, CancellationToken cancel = default)
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
        var rows = new List<double[]>(items.Count);
        using var loader = batches.InOrder(items, batchSize, cancel);
        Run(model, device, Loaded(loader), output, (_, values) => rows.AddRange(RowsOf<double>(values, ScalarType.Float64)));
        return rows;
    }

    private static IEnumerable<Func<Tensor>> Loaded(BatchLoader loader)
    {
        while (loader.Next() is { } batch)
        {
            using (batch) yield return () => batch.Images;
        }
    }

    /// <summary>
    /// The one inference loop (eval, features, TTA, <c>runner predict</c>): <paramref name="model"/> in eval mode under
    /// inference_mode; each input of <paramref name="inputs"/> is made, moved to <paramref name="device"/>, run through
    /// <paramref name="output"/> and handed to <paramref name="consume"/> (input, output) in its own dispose scope.
    /// </summary>
    public static void Run(nn.Module<Tensor, Tensor> model, Device device, IEnumerable<Func<Tensor>> inputs,
        Func<Tensor, Tensor> output, Action<Tensor, Tensor> consume)
    {
        model.eval();
        using var _ = torch.inference_mode();
        var type = model.parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32; // bfloat16 while a bf16 training validates
        foreach (var input in inputs)
        {
            using var scope = torch.NewDisposeScope();
            var images = input().to(type, device);
            consume(images, output(images));
        }
    }

    /// <summary>The rows of a [n, width] tensor, as <paramref name="type"/> (which must match <typeparamref name="T"/>).</summary>
    public static IEnumerable<T[]> RowsOf<T>(Tensor values, ScalarType type) where T : unmanaged
    {
        var width = (int)values.shape[1];
        var flat = values.to(torch.CPU).to_type(type).contiguous().data<T>().ToArray();
        return Enumerable.Range(0, (int)values.shape[0]).Select(n => flat.AsSpan(n * width, width).ToArray()).ToList();
    }
}
