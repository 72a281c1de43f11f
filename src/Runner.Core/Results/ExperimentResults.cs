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

    /// <summary>Every machine a figure of this file was measured on, named by <see cref="Machines.Machine.Id"/>; empty in older results.</summary>
    public IReadOnlyList<Machines.Machine> Machines { get; init; } = [];

    /// <summary>One entry per repeat group (a configuration trained with several seeds); null when nothing is repeated.</summary>
    public IReadOnlyList<RepeatGroupResult>? RepeatGroups { get; init; }
}
