using System.CommandLine;
using System.Globalization;
using OpenCvSharp;
using TorchSharp;
using Runner.Cli;
using Runner.Cli.Commands;
using Runner.Torch.Models;
using Runner.Torch.Weights;
using static TorchSharp.torch;

namespace Runner.Tests.Cli.Commands;

[CollectionDefinition(Name)]
public sealed class BinaryResNet18Collection : ICollectionFixture<BinaryResNet18>
{
    public const string Name = "predict: binary resnet18";
}
