namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>report</c>'s parameters: what results.json says about the experiment besides its inputs' results. The git commit
/// and the previous results.json (the diff) are not read by the task: they are added when the report is copied to the
/// report folder (<see cref="Reporting.ReportExecutor.Materialize"/>, <see cref="Execution.TaskEnvironment.ReportOutput"/>),
/// so they need no place in the key.
/// </summary>
internal sealed record ReportParams(
    string Experiment, string Dataset, ReportTemplateRef Template, IReadOnlyList<ReportBackbone> Backbones, IReadOnlyList<ReportEnsemble> Ensembles);
