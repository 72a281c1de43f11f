using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>Per-channel input normalisation on 0–1 RGB.</summary>
public sealed record Normalization(string Name, float[] Mean, float[] Std)
{
    public static readonly Normalization ImageNet = new("imagenet", [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
    public static readonly Normalization Inception = new("inception", [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);
}

/// <summary>A backbone architecture: how to build it with a fresh head of <c>outputs</c> units, and how to feed it.</summary>
public sealed record ArchDefinition(
    string Name,
    int DefaultImageSize,
    Normalization Normalization,
    Func<int, nn.Module<Tensor, Tensor>> Create);
