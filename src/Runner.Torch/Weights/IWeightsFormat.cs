using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>A weight file format: reads a file into a state_dict keyed by the architecture's parameter and buffer names.</summary>
public interface IWeightsFormat
{
    /// <summary>Short name shown to users and stored in manifests: "pytorch", "safetensors", "onnx".</summary>
    string Name { get; }

    /// <summary>True if the file looks like this format (magic bytes first, extension as a hint).</summary>
    bool Accepts(string path);

    /// <summary>The tensors of the file under the names <paramref name="arch"/>'s modules use (CPU tensors; caller disposes).</summary>
    Dictionary<string, Tensor> Read(string path, ArchDefinition arch);
}
