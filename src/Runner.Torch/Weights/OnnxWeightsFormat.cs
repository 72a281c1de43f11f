using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// ONNX models (<c>.onnx</c>, a protobuf ModelProto) as a weight source. ML.NET's CNTK-exported ResNet18
/// (<see cref="MlNetResNetArchs.MlNetResNet18"/>) is mapped by graph position; any other architecture needs
/// initializers named exactly like its state_dict keys (what <c>torch.onnx.export</c> keeps when it folds nothing).
/// </summary>
internal sealed class OnnxWeightsFormat : IWeightsFormat
{
    public string Name => "onnx";

    public bool Accepts(string path) => OnnxModel.LooksLikeOnnx(path);

    /// <summary>
    /// The file's weights under <paramref name="arch"/>'s state_dict keys: every non-head key (num_batches_tracked 0), head
    /// keys only where the file has them by name (ML.NET's ResNet18 has no head). <see cref="WeightsFormatException"/> when
    /// the file is not ONNX or does not map onto the arch.
    /// </summary>
    public Dictionary<string, Tensor> Read(string path, ArchDefinition arch)
    {
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new WeightsFormatException(e.Message, e);
        }
        try
        {
            return Map(model, arch);
        }
        catch (InvalidDataException e)
        {
            throw new WeightsFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The state_dict of <paramref name="arch"/> from <paramref name="model"/>'s initializers (CPU tensors; caller disposes);
    /// <see cref="InvalidDataException"/> when they do not fit the arch.
    /// </summary>
    public static Dictionary<string, Tensor> Map(OnnxModel model, ArchDefinition arch)
    {
        var expected = ExpectedShapes(arch);
        return arch.Name == MlNetResNetArchs.MlNetResNet18.Name
            ? OnnxResNetMapping.Map(model, MlNetResNetArchs.ResNet18Layers, expected)
            : MapByName(model, arch, expected);
    }

    /// <summary>The arch's state_dict keys in module order with their shapes (head at one class; head shapes are not checked).</summary>
    internal static Dictionary<string, long[]> ExpectedShapes(ArchDefinition arch)
    {
        using var _ = no_grad();
        using var module = arch.Create(1);
        var shapes = new Dictionary<string, long[]>();
        foreach (var (key, t) in module.state_dict())
            shapes[key] = t.shape;
        return shapes;
    }

    private static Dictionary<string, Tensor> MapByName(OnnxModel model, ArchDefinition arch, Dictionary<string, long[]> expected)
    {
        var required = expected.Keys.Where(k => !arch.IsHeadKey(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        var matched = required.Count(model.Initializers.ContainsKey);
        if (matched < required.Count)
        {
            var missing = required.Where(k => !model.Initializers.ContainsKey(k)).Take(3);
            throw new InvalidDataException(
                $"ONNX initializer names cover {matched} of {arch.Name}'s {required.Count} non-head state_dict keys " +
                $"(missing e.g. {string.Join(", ", missing)}); only ML.NET's ResNet18 is mapped by graph position, other " +
                "ONNX files need initializers named like the state_dict (export with do_constant_folding=False, training=TrainingMode.TRAINING or PRESERVE)");
        }

        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (key, shape) in expected)
            {
                // Batch counters only matter to momentum-less BatchNorm; a fresh count is what a loaded model starts from.
                if (key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                {
                    result[key] = zeros(shape, ScalarType.Int64);
                    continue;
                }
                if (!model.Initializers.TryGetValue(key, out var init)) continue; // head keys may be absent
                // A head may have any number of outputs (its first dimension, 1 in the expected shapes), up to WeightsScreen's bound.
                var fits = arch.IsHeadKey(key) && shape is [1, ..]
                    ? init.Dims.Length == shape.Length && init.Dims.AsSpan(1).SequenceEqual(shape.AsSpan(1))
                        && init.Dims[0] is >= 1 and <= WeightsScreen.MaxHeadOutputs
                    : init.Dims.SequenceEqual(shape);
                if (!fits)
                    throw new InvalidDataException(
                        $"ONNX initializer '{key}' has shape [{string.Join(", ", init.Dims)}], {arch.Name} needs [{string.Join(", ", shape)}]" +
                        (arch.IsHeadKey(key) ? $" (a head of 1 to {WeightsScreen.MaxHeadOutputs:N0} outputs)" : ""));
                result[key] = init.ToTorch();
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }
}
