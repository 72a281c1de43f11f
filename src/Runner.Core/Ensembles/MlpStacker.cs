using System.Numerics.Tensors;
using Runner.Core.Util;

namespace Runner.Core.Ensembles;

/// <summary>
/// <c>stacking</c> (an MLP: a ReLU layer per hidden size, then one logit for two classes — the original study's
/// Dense 32 → Dense 8 → 1 sigmoid — or one per class with softmax) and <c>logistic</c> (no hidden layers: logistic
/// regression) over the ensemble's input rows, standardised with the fitted rows' mean and standard deviation.
/// Cross-entropy, Adam (torch's defaults: β = 0.9, 0.999, ε = 1e-8), shuffled mini-batches. Plain double-precision
/// arithmetic in one thread, with initial weights (torch's U(±1/√fan_in)) and batch order drawn from <c>seed</c>:
/// the same inputs give the same stacker whatever the thread count (torch's CPU kernels may not, under concurrent load).
/// </summary>
internal sealed class MlpStacker(IReadOnlyList<int> hidden, int epochs, double lr, int batchSize) : IEnsembleMethod
{
    public IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default)
    {
        var classes = rows.Classes;
        var width = rows.Inputs[0].Length;
        var mean = Enumerable.Range(0, width).Select(c => rows.Inputs.Average(r => r[c])).ToArray();
        var std = Enumerable.Range(0, width)
            .Select(c => Math.Max(Math.Sqrt(rows.Inputs.Average(r => (r[c] - mean[c]) * (r[c] - mean[c]))), 1e-6)).ToArray();
        var random = new Random(seed);
        int[] sizes = [width, .. hidden, classes == 2 ? 1 : classes];
        var layers = Enumerable.Range(0, sizes.Length - 1).Select(l => new Layer(sizes[l], sizes[l + 1], random)).ToArray();
        var network = new Network(layers, mean, std, classes);

        var inputs = rows.Inputs.Select(network.Standardize).ToArray();
        var order = Enumerable.Range(0, rows.Count).ToArray();
        var step = 0;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += batchSize)
            {
                var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
                foreach (var layer in layers) layer.ZeroGradients();
                foreach (var row in batch) network.Backpropagate(inputs[row], rows.Labels[row], 1.0 / batch.Length);
                step++;
                foreach (var layer in layers) layer.AdamStep(lr, step);
            }
        }
        return network;
    }

    /// <summary>One dense layer: weights [outputs × inputs] row-major, biases, their gradients and Adam moments.</summary>
    private sealed class Layer
    {
        private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        public readonly int Inputs, Outputs;
        public readonly double[] Weights, Bias, WeightGradients, BiasGradients;
        private readonly double[] _m, _v;

        public Layer(int inputs, int outputs, Random random)
        {
            (Inputs, Outputs) = (inputs, outputs);
            var bound = 1 / Math.Sqrt(inputs);
            Weights = Enumerable.Range(0, inputs * outputs).Select(_ => (random.NextDouble() * 2 - 1) * bound).ToArray();
            Bias = Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() * 2 - 1) * bound).ToArray();
            WeightGradients = new double[Weights.Length];
            BiasGradients = new double[outputs];
            _m = new double[Weights.Length + outputs];
            _v = new double[Weights.Length + outputs];
        }

        public double[] Forward(double[] x)
        {
            var z = new double[Outputs];
            for (var o = 0; o < Outputs; o++) z[o] = TensorPrimitives.Dot(Weights.AsSpan(o * Inputs, Inputs), x) + Bias[o];
            return z;
        }

        public void ZeroGradients()
        {
            Array.Clear(WeightGradients);
            Array.Clear(BiasGradients);
        }

        public void AdamStep(double lr, int step)
        {
            var correction1 = 1 - Math.Pow(Beta1, step);
            var correction2 = 1 - Math.Pow(Beta2, step);
            void Update(double[] parameters, double[] gradients, int offset)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    var g = gradients[i];
                    var m = _m[offset + i] = Beta1 * _m[offset + i] + (1 - Beta1) * g;
                    var v = _v[offset + i] = Beta2 * _v[offset + i] + (1 - Beta2) * g * g;
                    parameters[i] -= lr * (m / correction1) / (Math.Sqrt(v / correction2) + Epsilon);
                }
            }
            Update(Weights, WeightGradients, 0);
            Update(Bias, BiasGradients, Weights.Length);
        }
    }

    private sealed class Network(Layer[] layers, double[] mean, double[] std, int classes) : IFittedEnsemble
    {
        public double[] Standardize(double[] row) => row.Select((v, c) => (v - mean[c]) / std[c]).ToArray();

        /// <summary>Activations of every layer (ReLU after all but the last; the last holds the logits).</summary>
        private List<double[]> Forward(double[] x)
        {
            var activations = new List<double[]> { x };
            for (var l = 0; l < layers.Length; l++)
            {
                var z = layers[l].Forward(activations[^1]);
                if (l < layers.Length - 1) TensorPrimitives.Max(z, 0.0, z);
                activations.Add(z);
            }
            return activations;
        }

        private double[] Probabilities(double[] logits)
        {
            if (classes == 2)
            {
                var p = 1 / (1 + Math.Exp(-logits[0]));
                return [1 - p, p];
            }
            var result = new double[classes];
            TensorPrimitives.SoftMax(logits, result);
            return result;
        }

        /// <summary>Adds this row's gradient of the cross-entropy, times <paramref name="scale"/>, to the layers' gradients.</summary>
        public void Backpropagate(double[] x, int label, double scale)
        {
            var activations = Forward(x);
            var probabilities = Probabilities(activations[^1]);
            // d loss / d logits: sigmoid − y for one logit, softmax − one-hot for several.
            var delta = classes == 2
                ? [(probabilities[1] - label) * scale]
                : probabilities.Select((p, c) => (p - (c == label ? 1 : 0)) * scale).ToArray();
            for (var l = layers.Length - 1; l >= 0; l--)
            {
                var layer = layers[l];
                var input = activations[l];
                var previous = l > 0 ? new double[layer.Inputs] : null;
                for (var o = 0; o < layer.Outputs; o++)
                {
                    if (delta[o] == 0) continue;
                    TensorPrimitives.MultiplyAdd(input, delta[o], layer.WeightGradients.AsSpan(o * layer.Inputs, layer.Inputs),
                        layer.WeightGradients.AsSpan(o * layer.Inputs, layer.Inputs));
                    layer.BiasGradients[o] += delta[o];
                    if (previous is not null)
                        TensorPrimitives.MultiplyAdd(layer.Weights.AsSpan(o * layer.Inputs, layer.Inputs), delta[o], previous, previous);
                }
                if (previous is null) break;
                for (var i = 0; i < previous.Length; i++) if (input[i] <= 0) previous[i] = 0; // ReLU
                delta = previous;
            }
        }

        public double[][] Predict(EnsembleSplit split) =>
            split.Inputs.Select(row => Probabilities(Forward(Standardize(row))[^1])).ToArray();

        public bool Save(string path)
        {
            Json.Write(path, new
            {
                mean, std, classes,
                layers = layers.Select(l => new { inputs = l.Inputs, outputs = l.Outputs, weights = l.Weights, bias = l.Bias }),
            });
            return true;
        }
    }
}
