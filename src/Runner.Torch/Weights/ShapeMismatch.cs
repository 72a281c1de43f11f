namespace Runner.Torch.Weights;

/// <summary>A key present in both the model and the file with different shapes.</summary>
internal sealed record ShapeMismatch(string Key, long[] Expected, long[] Actual)
{
    public override string ToString() => $"{Key}: file [{string.Join(", ", Actual)}] vs model [{string.Join(", ", Expected)}]";
}
