using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// The classification head's contract: two classes → one logit into BCE-with-logits; more → one logit per
/// class into cross-entropy. Losses always take logits; probabilities exist only at evaluation.
/// </summary>
internal sealed record Head(int Classes)
{
    public int Outputs => Classes == 2 ? 1 : Classes;

    /// <summary>
    /// Mean loss on the logits. With label smoothing ε, binary targets become y·(1 − ε) + ε/2 and cross-entropy
    /// smooths over the classes (target (1 − ε) + ε/K on the label, ε/K elsewhere).
    /// </summary>
    public Tensor Loss(Tensor logits, Tensor labels, double labelSmoothing = 0)
    {
        logits = InFloat32(logits);
        if (Classes != 2) return nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
        var targets = labels.to_type(ScalarType.Float32);
        if (labelSmoothing > 0) targets = targets * (1 - labelSmoothing) + labelSmoothing / 2;
        return nn.functional.binary_cross_entropy_with_logits(logits.squeeze(1), targets);
    }

    /// <summary>[batch, classes] probabilities.</summary>
    public Tensor Probabilities(Tensor logits)
    {
        logits = InFloat32(logits);
        if (Classes != 2) return nn.functional.softmax(logits, 1);
        var positive = torch.sigmoid(logits);
        return torch.cat([1 - positive, positive], 1);
    }

    /// <summary>Losses and probabilities are computed in float32 whatever the model computed in (autocast, bf16).</summary>
    private static Tensor InFloat32(Tensor logits) => logits.dtype == ScalarType.Float32 ? logits : logits.to_type(ScalarType.Float32);
}
