namespace Runner.Core.Results;

// results.json — the contract other tools read (DESIGN.md).

internal sealed record ExperimentResults(
    string Experiment,
    string RunnerVersion,
    DateTime Created,
    EnvironmentInfo Environment,
    DatasetSummary Dataset,
    IReadOnlyList<BackboneResult> Backbones,
    IReadOnlyList<EnsembleResult> Ensembles)
{
    public const string FileName = "results.json";

    /// <summary>One entry per repeat group (a configuration trained with several seeds); null when nothing is repeated.</summary>
    public IReadOnlyList<RepeatGroupResult>? RepeatGroups { get; init; }
}
