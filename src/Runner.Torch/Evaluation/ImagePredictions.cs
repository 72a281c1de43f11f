namespace Runner.Torch.Evaluation;

/// <summary>Per image (rows aligned with <see cref="Files"/>, full paths): the head's raw logits and the class probabilities.</summary>
public sealed record ImagePredictions(IReadOnlyList<string> Files, int Outputs, IReadOnlyList<float[]> Logits, IReadOnlyList<float[]> Probabilities)
{
    public int Classes => Outputs == 1 ? 2 : Outputs;
}
