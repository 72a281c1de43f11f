using TorchSharp;
using TorchSharp.PyBridge;
using Runner.Torch;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Fixtures;

/// <summary>Shared helpers: the native stack, temporary stores, small architectures and state_dict files written from C#.</summary>
internal static class WeightsTestSupport
{
    private static readonly Lazy<TorchRuntime> Runtime = new(() => TorchRuntime.Start("cpu"));

    /// <summary>Loads the libstdc++ shim (where needed) before the first tensor is made.</summary>
    public static void EnsureTorch() => _ = Runtime.Value;

    /// <summary>A small backbone with a BatchNorm (so num_batches_tracked) and an <c>fc</c> head.</summary>
    public static ArchDefinition Tiny(ReleaseWeights? release = null, string name = "tiny") => new(
        name, 32, Normalization.ImageNet,
        (n, _) => nn.Sequential(
            ("conv", nn.Conv2d(3, 4, 3)),
            ("bn", nn.BatchNorm2d(4)),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(4, n))),
        "fc", release) { BlockCount = 2 };

    /// <summary>A model whose every tensor (buffers included) holds non-default values, so equality checks mean something.</summary>
    public static nn.Module<Tensor, Tensor> Randomized(ArchDefinition arch, int outputs, int? imageSize = null)
    {
        var model = arch.Create(outputs, imageSize);
        using var _ = torch.no_grad();
        foreach (var (key, tensor) in model.state_dict())
        {
            if (tensor.is_floating_point()) tensor.copy_(torch.randn_like(tensor));
            else tensor.fill_(7);
        }
        return model;
    }

    /// <summary>Writes a torch.save-compatible zip pickle of <paramref name="stateDict"/> (PyBridge's writer).</summary>
    public static string SavePy(string path, System.Collections.IDictionary stateDict)
    {
        PyTorchPickler.PickleStateDict(path, stateDict);
        return path;
    }

    public static string SavePy(string path, nn.Module model)
    {
        model.save_py(path);
        return path;
    }

    public static Dictionary<string, Tensor> StateDict(nn.Module model) => new(model.state_dict(), StringComparer.Ordinal);

    public static bool Equal(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    /// <summary>A .safetensors file with the given JSON header and data, written by hand (so it can be malformed).</summary>
    public static void WriteSafetensors(string path, string header, byte[] data)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        file.Write(data);
    }
}
