namespace Runner.Tests.Torch.Data;

/// <summary>Tests that measure process-wide managed memory run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "loader: memory measurement";
}
