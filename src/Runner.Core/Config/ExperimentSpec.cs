namespace Runner.Core.Config;

/// <summary>An experiment file after parsing, defaults applied and every name checked.</summary>
public sealed record ExperimentSpec(
    string Name,
    string SourceFile,
    DatasetSpec Dataset,
    IReadOnlyList<BackboneSpec> Backbones,
    TimingSpec Timing,
    ReportSpec Report)
{
    /// <summary>The <c>evaluation</c> section (test-time augmentation); part of eval keys only.</summary>
    public EvaluationSpec Evaluation { get; init; } = EvaluationSpec.Default;

    /// <summary>The <c>ensembles</c> section, in file order; members are names of <see cref="Backbones"/>.</summary>
    public IReadOnlyList<EnsembleSpec> Ensembles { get; init; } = [];
}

/// <summary><c>evaluation: { tta: none | hflip }</c>.</summary>
public sealed record EvaluationSpec(string Tta)
{
    public static readonly EvaluationSpec Default = new("none");
}

/// <summary><c>optimizer:</c> — momentum and nesterov apply to sgd only (they stay at their defaults otherwise).</summary>
public sealed record OptimizerSpec(string Name, double Lr, double WeightDecay = 0, double Momentum = 0.9, bool Nesterov = false);

/// <summary>
/// <c>schedule:</c> — the learning rate per step (batch): linear warm-up over <see cref="WarmupEpochs"/>, then
/// constant, cosine down to <see cref="MinLr"/>, or × <see cref="Gamma"/> every <see cref="StepSize"/> epochs.
/// </summary>
public sealed record ScheduleSpec(string Name = "constant", int WarmupEpochs = 0, int StepSize = 1, double Gamma = 0.1, double MinLr = 0)
{
    public static readonly ScheduleSpec Constant = new();
}

/// <summary><c>early_stopping:</c> — stop after <see cref="Patience"/> epochs without the validation log loss improving by more than <see cref="MinDelta"/>.</summary>
public sealed record EarlyStoppingSpec(int Patience, double MinDelta = 0);

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
    ConfigLocation Location)
{
    public ScheduleSpec Schedule { get; init; } = ScheduleSpec.Constant;
    public double LabelSmoothing { get; init; }
    /// <summary>Max gradient norm (clip_grad_norm_); null: no clipping.</summary>
    public double? GradClip { get; init; }
    /// <summary>null: train every epoch.</summary>
    public EarlyStoppingSpec? EarlyStopping { get; init; }
    /// <summary>Set when <c>matrix</c> or <c>repeats</c> made this backbone one variant of an entry of <c>backbones</c>.</summary>
    public VariantInfo? Variant { get; init; }
    /// <summary><c>phases:</c> in order; null when the backbone trains in one phase (<see cref="Epochs"/> is then their sum).</summary>
    public IReadOnlyList<PhaseSpec>? Phases { get; init; }
}

/// <summary><c>trainable: all | head | last-N</c>.</summary>
public static class Trainable
{
    private static readonly System.Text.RegularExpressions.Regex LastN = new(@"^last-([1-9][0-9]{0,3})$");

    /// <summary>N of <c>last-N</c> (1 to 9999), or null for anything else.</summary>
    public static int? LastBlocks(string trainable) => LastN.Match(trainable) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;
}

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

    /// <summary>How many top-level blocks <c>trainable: last-N</c> can count in the architecture; null when unknown.</summary>
    int? TrainableBlocks(string arch) => null;
}
