namespace Runner.Core.Config;

/// <summary>An experiment file after parsing, defaults applied and every name checked.</summary>
public sealed record ExperimentSpec(
    string Name,
    string SourceFile,
    DatasetSpec Dataset,
    IReadOnlyList<BackboneSpec> Backbones,
    TimingSpec Timing,
    ReportSpec Report);

public sealed record OptimizerSpec(string Name, double Lr);

public sealed record BackboneSpec(
    string Name,
    string Arch,
    string Weights,
    int ImageSize,
    int Epochs,
    int BatchSize,
    OptimizerSpec Optimizer,
    string Trainable,
    string AugmentName,
    IReadOnlyList<AugmentOp> Augment,
    int Seed,
    ConfigLocation Location);

/// <summary>Where something was declared, for errors found after parsing (e.g. weights that are not available).</summary>
public sealed record ConfigLocation(int Line, int Column);

public sealed record TimingSpec(int Warmup, int Iterations, IReadOnlyList<int> BatchSizes);

public sealed record ReportSpec(string Template, string Output);

/// <summary>What the config layer needs to know about model architectures (implemented where models live).</summary>
public interface IArchCatalog
{
    IReadOnlyCollection<string> Names { get; }
    int DefaultImageSize(string arch);

    /// <summary>The smallest input the architecture can run on (in training).</summary>
    int MinImageSize(string arch) => 1;
}
