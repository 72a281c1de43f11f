namespace Runner.Torch.Weights;

/// <summary>An attribute of a node: int, float, string and tensor values and int/float lists are decoded; graphs and others skipped.</summary>
internal sealed record OnnxAttribute(string Name, long? Int, float? Float, string? String, IReadOnlyList<long> Ints, IReadOnlyList<float> Floats,
    OnnxTensor? Tensor);
