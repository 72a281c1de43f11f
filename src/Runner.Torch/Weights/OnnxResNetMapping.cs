using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Maps an ONNX ResNet of BasicBlocks whose initializers carry no usable names (CNTK's <c>ParameterN</c>/<c>ConstantN</c>)
/// onto torchvision's state_dict keys by graph position. Each Conv is paired with the BatchNormalization that consumes
/// its output; convs are taken in graph order — the stem, then each block's convs, a downsampling block contributing its
/// 1×1 projection (in whichever position the graph puts it) besides its two 3×3 convs.
/// </summary>
internal static class OnnxResNetMapping
{
    private const double BatchNormEpsilon = 1e-5; // TorchSharp's BatchNorm2d default, what the arch builds

    private sealed record ConvBn(OnnxNode Conv, OnnxTensor Weight, OnnxNode Bn);

    /// <param name="layers">Blocks per stage, e.g. [2, 2, 2, 3].</param>
    /// <param name="expected">The arch's state_dict keys in module order with their shapes.</param>
    public static Dictionary<string, Tensor> Map(OnnxModel model, IReadOnlyList<int> layers, IReadOnlyDictionary<string, long[]> expected)
    {
        var pairs = model.Nodes.Where(n => n.OpType == "Conv").Select(c => Pair(model, c)).ToList();
        int needed = 1 + layers.Select((blocks, stage) => 2 * blocks + (HasDownsample(expected, stage, 0) ? 1 : 0)).Sum();
        if (pairs.Count != needed)
            throw new InvalidDataException(
                $"the ONNX graph has {pairs.Count} Conv nodes; ResNet(BasicBlock, [{string.Join(", ", layers)}]) has {needed}");

        // (state_dict prefix of the conv, of its BatchNorm, stride) in graph order.
        var slots = new List<(ConvBn Pair, string Conv, string Bn, int Stride)> { (pairs[0], "conv1", "bn1", 2) };
        int next = 1;
        for (int stage = 0; stage < layers.Count; stage++)
        {
            for (int block = 0; block < layers[stage]; block++)
            {
                string p = $"layer{stage + 1}.{block}.";
                int stride = block == 0 && stage > 0 ? 2 : 1;
                if (HasDownsample(expected, stage, block))
                {
                    var group = pairs.GetRange(next, 3);
                    next += 3;
                    var projections = group.Where(g => g.Weight.Dims is [_, _, 1, 1]).ToList();
                    if (projections.Count != 1)
                        throw new InvalidDataException(
                            $"expected one 1×1 projection conv among the three convs of {p.TrimEnd('.')}, found {projections.Count}");
                    var (first, second) = (group.Except(projections).First(), group.Except(projections).Last());
                    slots.Add((projections[0], p + "downsample.0", p + "downsample.1", stride));
                    slots.Add((first, p + "conv1", p + "bn1", stride));
                    slots.Add((second, p + "conv2", p + "bn2", 1));
                }
                else
                {
                    slots.Add((pairs[next++], p + "conv1", p + "bn1", stride));
                    slots.Add((pairs[next++], p + "conv2", p + "bn2", 1));
                }
            }
        }

        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (pair, convKey, bnKey, stride) in slots)
            {
                var strides = pair.Conv.Ints("strides");
                if (strides is not null && strides.Any(s => s != stride))
                    throw new InvalidDataException(
                        $"Conv '{pair.Conv.Name}' (mapped to {convKey}) has strides [{string.Join(", ", strides)}], {stride} expected");
                Add(result, expected, convKey + ".weight", pair.Weight, pair.Conv);
                string[] bnFields = ["weight", "bias", "running_mean", "running_var"]; // BN inputs 1–4: scale, B, mean, var
                for (int i = 0; i < bnFields.Length; i++)
                    Add(result, expected, $"{bnKey}.{bnFields[i]}", Input(model, pair.Bn, i + 1), pair.Bn);
                var counter = $"{bnKey}.num_batches_tracked";
                if (expected.TryGetValue(counter, out var counterShape))
                    result[counter] = zeros(counterShape, ScalarType.Int64);
            }

            var uncovered = expected.Keys.Where(k => !k.StartsWith("fc.", StringComparison.Ordinal) && !result.ContainsKey(k)).ToList();
            if (uncovered.Count > 0)
                throw new InvalidDataException(
                    $"the positional ResNet mapping left {uncovered.Count} state_dict keys unset (e.g. {string.Join(", ", uncovered.Take(3))})");
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    private static bool HasDownsample(IReadOnlyDictionary<string, long[]> expected, int stage, int block) =>
        expected.ContainsKey($"layer{stage + 1}.{block}.downsample.0.weight");

    private static ConvBn Pair(OnnxModel model, OnnxNode conv)
    {
        if (conv.Inputs.Count < 2 || conv.Outputs.Count < 1)
            throw new InvalidDataException($"Conv '{conv.Name}' lacks a weight input or an output");
        var weight = Input(model, conv, 1);
        if (conv.Inputs.Count > 2 && conv.Inputs[2].Length > 0 && Input(model, conv, 2).ToFloatArray().Any(v => v != 0))
            throw new InvalidDataException($"Conv '{conv.Name}' has a non-zero bias, which torchvision's ResNet convs lack");

        var bns = model.Consumers(conv.Outputs[0]).ToList();
        if (bns is not [{ OpType: "BatchNormalization" } bn] || bn.Inputs.Count < 5 || bn.Inputs[0] != conv.Outputs[0])
            throw new InvalidDataException(
                $"Conv '{conv.Name}' should feed exactly one BatchNormalization; its output goes to " +
                $"[{string.Join(", ", bns.Select(n => $"{n.OpType} '{n.Name}'"))}]");
        var epsilon = bn.Float("epsilon") ?? 1e-5f;
        if (Math.Abs(epsilon - BatchNormEpsilon) > 1e-9)
            throw new InvalidDataException($"BatchNormalization '{bn.Name}' uses epsilon {epsilon}; the arch's BatchNorm2d uses {BatchNormEpsilon}");
        return new ConvBn(conv, weight, bn);
    }

    private static OnnxTensor Input(OnnxModel model, OnnxNode node, int index) =>
        model.Constant(node.Inputs[index])
        ?? throw new InvalidDataException($"input {index} ('{node.Inputs[index]}') of {node.OpType} '{node.Name}' is not a constant");

    private static void Add(Dictionary<string, Tensor> result, IReadOnlyDictionary<string, long[]> expected, string key, OnnxTensor source,
        OnnxNode node)
    {
        if (!expected.TryGetValue(key, out var shape))
            throw new InvalidDataException($"the arch has no state_dict key '{key}' for {node.OpType} '{node.Name}'");
        if (!source.Dims.SequenceEqual(shape))
            throw new InvalidDataException(
                $"'{source.Name}' of {node.OpType} '{node.Name}' has shape [{string.Join(", ", source.Dims)}]; {key} needs [{string.Join(", ", shape)}]");
        result[key] = source.ToTorch();
    }
}
