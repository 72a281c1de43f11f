using System.Text.Json.Serialization;
using Runner.Core.Config;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>report</c>'s parameters: what results.json says about the experiment besides its inputs' results. The git commit
/// and the previous results.json (the diff) are not read by the task: they are added when the report is copied to
/// <see cref="Output"/> (<see cref="Reporting.ReportExecutor.Materialize"/>), so they need no place in the key.
/// </summary>
public sealed record ReportParams(
    string Experiment, string Dataset, ReportTemplateRef Template, IReadOnlyList<ReportBackbone> Backbones, IReadOnlyList<ReportEnsemble> Ensembles)
{
    /// <summary>The report folder (<c>report.output</c>): written when the report is materialised, never read by the task.</summary>
    [JsonIgnore]
    public string Output { get; init; } = null!;
}

public sealed record ReportTemplateRef(string Name, string Digest);

/// <param name="Variant">Where <c>matrix</c> or <c>repeats</c> made it one variant of an entry of <c>backbones</c>; null otherwise.</param>
public sealed record ReportBackbone(string Name, string Arch, string Weights, int ImageSize, int BatchSize, int Seed, VariantInfo? Variant)
{
    /// <summary>The variant whose time task times this one (the first seed of its repeat group, else itself).</summary>
    public string TimedBy => Variant?.TimedBy ?? Name;
}

/// <param name="Hidden">The stacking MLP's hidden sizes; null for other methods.</param>
public sealed record ReportEnsemble(string Name, string Method, IReadOnlyList<string> Members, string Inputs, IReadOnlyList<int>? Hidden);

/// <summary>The <c>report</c> task (executor: <see cref="Reporting.ReportExecutor"/>), after every other task that is not on demand.</summary>
public sealed class ReportKind : IExperimentTaskKind
{
    public const string Name = "report";
    public static readonly TaskId Id = new(Name);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Cpu;

    public void Plan(PlanContext plan)
    {
        var spec = plan.Spec;
        var parameters = new ReportParams(
            spec.Name,
            Path.GetFileName(Path.TrimEndingDirectorySeparator(spec.Dataset.Path)),
            new ReportTemplateRef(spec.Report.Template, plan.Inputs.TemplateDigest),
            spec.Backbones.Select(b => new ReportBackbone(b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, b.Seed, b.Variant)).ToList(),
            spec.Ensembles.Select(e => new ReportEnsemble(e.Name, e.Method, e.Members, e.Inputs,
                e.Method == EnsembleSpec.Methods.Stacking ? e.Hidden : null)).ToList())
        {
            Output = spec.Report.Output,
        };
        var deps = plan.Tasks.Where(t => t.Kind is DataKind.Name or TrainKind.Name or EvalKind.Name or TimeKind.Name or EnsembleKind.Name);
        plan.Add(this, null, parameters, deps);
    }
}
