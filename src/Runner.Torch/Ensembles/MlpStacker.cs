using Runner.Core.Ensembles;
using Runner.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Ensembles;

/// <summary>
/// <c>stacking</c> (an MLP: Linear → ReLU per hidden size, then the classification head, as the original study's
/// Dense 32 → Dense 8 → 1) and <c>logistic</c> (no hidden layers: logistic regression) over the ensemble's input rows,
/// standardised with the fitted rows' mean and standard deviation. Adam, shuffled mini-batches, the head's loss
/// (binary cross-entropy on one logit for two classes). Initial weights and batch order come from <c>seed</c> alone
/// (not torch's global generator), on the CPU: the same inputs give the same stacker.
/// </summary>
public sealed class MlpStacker(IReadOnlyList<int> hidden, int epochs, double lr, int batchSize) : IEnsembleMethod
{
    public IFittedEnsemble Fit(EnsembleSplit rows, int seed)
    {
        var head = new Head(rows.Classes);
        var width = rows.Inputs[0].Length;
        var mean = Enumerable.Range(0, width).Select(c => rows.Inputs.Average(r => r[c])).ToArray();
        var std = Enumerable.Range(0, width)
            .Select(c => Math.Max(Math.Sqrt(rows.Inputs.Average(r => (r[c] - mean[c]) * (r[c] - mean[c]))), 1e-6)).ToArray();
        var model = Build(width, head.Outputs, new Random(seed));
        var fitted = new Fitted(model, head, mean, std);

        using var x = fitted.Standardized(rows.Inputs);
        using var y = torch.tensor(rows.Labels.Select(l => (long)l).ToArray());
        using var optimizer = torch.optim.Adam(model.parameters(), lr);
        var order = Enumerable.Range(0, rows.Count).ToArray();
        var shuffle = new Random(seed);
        model.train();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            shuffle.Shuffle(order);
            for (var start = 0; start < order.Length; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var index = torch.tensor(order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray());
                optimizer.zero_grad();
                head.Loss(model.call(x.index_select(0, index)), y.index_select(0, index)).backward();
                optimizer.step();
            }
        }
        model.eval();
        return fitted;
    }

    private nn.Module<Tensor, Tensor> Build(int inputs, int outputs, Random random)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = inputs;
        foreach (var size in hidden)
        {
            layers.Add(($"linear{layers.Count}", nn.Linear(width, size)));
            layers.Add(($"relu{layers.Count}", nn.ReLU()));
            width = size;
        }
        layers.Add(("out", nn.Linear(width, outputs)));
        var model = nn.Sequential(layers.ToArray());
        // torch's default Linear initialisation, U(±1/√fan_in) for weights and biases, drawn from the seeded generator.
        using (torch.no_grad())
            foreach (var linear in model.modules().OfType<TorchSharp.Modules.Linear>())
            {
                var bound = 1 / Math.Sqrt(linear.in_features);
                foreach (var parameter in linear.parameters())
                {
                    var values = new float[parameter.numel()];
                    for (var i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
                    parameter.copy_(torch.tensor(values).reshape(parameter.shape));
                }
            }
        return model;
    }

    private sealed class Fitted(nn.Module<Tensor, Tensor> model, Head head, double[] mean, double[] std) : IFittedEnsemble
    {
        public Tensor Standardized(double[][] rows)
        {
            var width = mean.Length;
            var values = new float[rows.Length * width];
            for (var r = 0; r < rows.Length; r++)
                for (var c = 0; c < width; c++)
                    values[r * width + c] = (float)((rows[r][c] - mean[c]) / std[c]);
            return torch.tensor(values).reshape(rows.Length, width);
        }

        public double[][] Predict(EnsembleSplit split)
        {
            using var scope = torch.NewDisposeScope();
            using var _ = torch.inference_mode();
            var probabilities = head.Probabilities(model.call(Standardized(split.Inputs))).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            return Enumerable.Range(0, split.Count).Select(r => probabilities.AsSpan(r * head.Classes, head.Classes).ToArray()).ToArray();
        }

        public bool Save(string path)
        {
            model.save(path);
            return true;
        }

        public void Dispose() => model.Dispose();
    }
}
