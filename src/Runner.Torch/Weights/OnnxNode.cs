namespace Runner.Torch.Weights;

/// <summary>A graph node, in the graph's (topological) order.</summary>
internal sealed record OnnxNode(
    string Name,
    string OpType,
    string Domain,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public long[]? Ints(string attribute) => Attributes.TryGetValue(attribute, out var a) ? [.. a.Ints] : null;
    public float? Float(string attribute) => Attributes.TryGetValue(attribute, out var a) ? a.Float : null;
}
