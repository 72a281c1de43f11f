using System.Buffers.Binary;
using Runner.Torch.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Hugging Face <c>.safetensors</c> files: an 8-byte little-endian header length, a JSON header, then the raw tensors.
/// Read with TorchSharp.PyBridge; a DataParallel <c>module.</c> prefix is stripped.
/// </summary>
public sealed class SafetensorsWeightsFormat : IWeightsFormat
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public string Name => "safetensors";

    public bool Accepts(string path)
    {
        var head = PyTorchWeightsFormat.ReadHead(path, 9);
        if (head.Length < 9 || head[8] != (byte)'{') return false;
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
        return headerLength >= 2 && headerLength <= MaxHeaderBytes && (long)headerLength <= new FileInfo(path).Length - 8;
    }

    public Dictionary<string, Tensor> Read(string path, ArchDefinition arch)
    {
        if (!Accepts(path)) throw new WeightsFormatException($"{path} is not a safetensors file (no valid header)");
        Dictionary<string, Tensor> stateDict;
        try
        {
            stateDict = Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not WeightsException and not OutOfMemoryException)
        {
            throw new WeightsFormatException($"{path}: cannot read this safetensors file: {e.Message}", e);
        }
        return StateDicts.StripCommonPrefix(new Dictionary<string, Tensor>(stateDict, StringComparer.Ordinal));
    }
}
