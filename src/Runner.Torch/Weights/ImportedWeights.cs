using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// A model built for an architecture with a weight file's tensors copied in. <see cref="HeadOutputs"/> is the head size the
/// model was built with (from the file's head weight; 1 when the file has no head, <see cref="HeadPresent"/> false).
/// <see cref="AbsentHeadKeys"/> are the model's head keys (main or auxiliary) the file had none of: freshly drawn in the
/// model, so never stored.
/// </summary>
internal sealed record ImportedWeights(
    nn.Module<Tensor, Tensor> Model,
    ArchDefinition Arch,
    string Format,
    int HeadOutputs,
    bool HeadPresent,
    long Parameters,
    WeightsComparison Comparison,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> AbsentHeadKeys) : IDisposable
{
    /// <summary>The image size the model was built for: the file's where its shapes say (ViT), else null (the default).</summary>
    public int? ImageSize { get; init; }

    public void Dispose() => Model.Dispose();
}
