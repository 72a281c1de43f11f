using TorchSharp;
using Runner.Tests.Fixtures;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Cli.Commands;

/// <summary>
/// Shared by the predict tests: a resnet18 with a binary (one-logit) head, written once as a torch.save file (PyBridge's
/// writer deflates, ~2 s), in a temporary folder deleted afterwards.
/// </summary>
public sealed class BinaryResNet18 : IDisposable
{
    public BinaryResNet18()
    {
        WeightsTestSupport.EnsureTorch();
        Directory = System.IO.Directory.CreateTempSubdirectory("runner-predict-model-").FullName;
        torch.manual_seed(7);
        Model = ResNetArchs.ResNet18.Create(1);
        // A head with a visible bias and larger weights, so the logits are far from 0 and differ between images.
        using (torch.no_grad())
        {
            var state = Model.state_dict();
            state["fc.weight"].mul_(5);
            state["fc.bias"].fill_(0.25);
        }
        Model.eval();
        Path = WeightsTestSupport.SavePy(System.IO.Path.Combine(Directory, "binary.pth"), Model);
    }

    public string Directory { get; }

    /// <summary>The model the file holds, in eval mode.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The torch.save file.</summary>
    public string Path { get; }

    public void Dispose()
    {
        Model.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
