using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>A model with an auxiliary classifier (InceptionV3): its training loss adds <see cref="AuxiliaryLossWeight"/> × the auxiliary
/// loss.</summary>
internal interface IAuxiliaryClassifier
{
    const double AuxiliaryLossWeight = 0.4;

    /// <summary>Main and auxiliary logits; no auxiliary logits where the input is too small for that branch.</summary>
    (Tensor Main, Tensor? Auxiliary) ForwardWithAuxiliary(Tensor input);
}
