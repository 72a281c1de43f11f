namespace Runner.Tests.Torch.Weights;

[CollectionDefinition(Name)]
public sealed class ResNet18FileCollection : ICollectionFixture<ResNet18File>
{
    public const string Name = "resnet18 file";
}
