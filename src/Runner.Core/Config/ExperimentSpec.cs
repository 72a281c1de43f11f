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
