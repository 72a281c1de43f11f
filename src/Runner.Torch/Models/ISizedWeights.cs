using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// Weights whose shapes follow the image size a model is built for (a ViT's position embedding has one entry per patch):
/// how to tell the size a state_dict was made for, and how to carry its tensors over to a model built for another size.
/// </summary>
public interface ISizedWeights
{
    /// <summary>The image size a state_dict with these <paramref name="shapes"/> was made for; null when its keys do not say.</summary>
    int? ImageSizeOf(IReadOnlyDictionary<string, long[]> shapes);

    /// <summary>
    /// <paramref name="stored"/> (the value of <paramref name="key"/> in weights made for another size) resized to
    /// <paramref name="shape"/>, as torchvision does when it fine-tunes at another resolution; null when
    /// <paramref name="key"/> does not depend on the image size (a shape mismatch there is a real one).
    /// </summary>
    Tensor? Resize(string key, Tensor stored, long[] shape);
}
