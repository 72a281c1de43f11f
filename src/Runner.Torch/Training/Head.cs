using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Training;

/// <summary>
/// The classification head's contract: two classes → one logit into BCE-with-logits; more → one logit per
/// class into cross-entropy. Losses always take logits; probabilities exist only at evaluation.
/// </summary>
public sealed record Head(int Classes)
{
    public int Outputs => Classes == 2 ? 1 : Classes;

    public Tensor Loss(Tensor logits, Tensor labels) => Classes == 2
        ? nn.functional.binary_cross_entropy_with_logits(logits.squeeze(1), labels.to_type(ScalarType.Float32))
        : nn.functional.cross_entropy(logits, labels);

    /// <summary>[batch, classes] probabilities.</summary>
    public Tensor Probabilities(Tensor logits)
    {
        if (Classes != 2) return nn.functional.softmax(logits, 1);
        var positive = torch.sigmoid(logits);
        return torch.cat([1 - positive, positive], 1);
    }
}
