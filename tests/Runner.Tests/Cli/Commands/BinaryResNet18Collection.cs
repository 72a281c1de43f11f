namespace Runner.Tests.Cli.Commands;

[CollectionDefinition(Name)]
public sealed class BinaryResNet18Collection : ICollectionFixture<BinaryResNet18>
{
    public const string Name = "predict: binary resnet18";
}
