namespace Runner.Core.Config;

/// <summary>What the config layer needs to know about model architectures (implemented where models live).</summary>
public interface IArchCatalog
{
    IReadOnlyCollection<string> Names { get; }
    int DefaultImageSize(string arch);

    /// <summary>The smallest input the architecture can run on (in training).</summary>
    int MinImageSize(string arch) => 1;

    /// <summary>How many top-level blocks <c>trainable: last-N</c> can count in the architecture; null when unknown.</summary>
    int? TrainableBlocks(string arch) => null;
}
