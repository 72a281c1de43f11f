using TorchSharp;
using TorchSharp.PyBridge;
using Runner.Torch;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Weights;

[CollectionDefinition(Name)]
public sealed class ResNet18FileCollection : ICollectionFixture<ResNet18File>
{
    public const string Name = "resnet18 file";
}
