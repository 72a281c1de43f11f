using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

/// <summary>
/// One randomized resnet18 written once as a torch.save file (PyBridge's writer deflates, so writing costs ~2 s),
/// shared by the tests that need a real resnet18 file.
/// </summary>
public sealed class ResNet18File : IDisposable
{
    private readonly string _directory;

    public ResNet18File()
    {
        WeightsTestSupport.EnsureTorch();
        _directory = Directory.CreateTempSubdirectory("runner-resnet18-").FullName;
        Model = WeightsTestSupport.Randomized(ResNetArchs.ResNet18, 1000);
        Path = WeightsTestSupport.SavePy(System.IO.Path.Combine(_directory, "resnet18.pth"), Model);
    }

    /// <summary>The model whose state the file holds (every tensor non-default).</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    public string Path { get; }

    public Dictionary<string, Tensor> StateDict => WeightsTestSupport.StateDict(Model);

    public void Dispose()
    {
        Model.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
