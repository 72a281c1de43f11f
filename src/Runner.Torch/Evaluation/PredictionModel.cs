using Runner.Torch.Models;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Torch.Evaluation;

/// <summary>
/// A model with a trained head, in eval mode, ready to predict. <see cref="Outputs"/> is the head's size: 1 for a binary
/// head (one logit, sigmoid; <see cref="Head"/>'s contract), otherwise one logit per class (softmax).
/// </summary>
public sealed class PredictionModel(ArchDefinition arch, nn.Module<Tensor, Tensor> model, int outputs, string source) : IDisposable
{
    public ArchDefinition Arch { get; } = arch;
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    public int Outputs { get; } = outputs;

    /// <summary>Where the weights came from, for messages.</summary>
    public string Source { get; } = source;

    public int Classes => Outputs == 1 ? 2 : Outputs;

    /// <summary>[batch, classes] probabilities: <see cref="Head.Probabilities"/> for a one-logit head, softmax otherwise.</summary>
    public Tensor Probabilities(Tensor logits) =>
        Outputs == 1 ? new Head(2).Probabilities(logits) : nn.functional.softmax(logits, 1);

    public void Dispose() => Model.Dispose();
}
