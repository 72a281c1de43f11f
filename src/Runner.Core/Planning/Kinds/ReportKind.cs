using Runner.Core.Ensembles;
using Runner.Core.Execution;

namespace Runner.Core.Planning.Kinds;

/// <summary>The <c>report</c> task (executor: <see cref="Reporting.ReportExecutor"/>), after every other task that is not on demand.</summary>
public sealed class ReportKind : IExperimentTaskKind
{
    public const string Name = "report";
    public static readonly TaskId Id = new(Name);

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Cpu;
    public int Revision => 4;
    public bool Gathers => true;

    public void Plan(PlanContext plan)
    {
        var spec = plan.Spec;
        var parameters = new ReportParams(
            spec.Name,
            Path.GetFileName(Path.TrimEndingDirectorySeparator(spec.Dataset.Path)),
            new ReportTemplateRef(spec.Report.Template, plan.Inputs.TemplateDigest),
            spec.Backbones.Select(b => new ReportBackbone(b.Name, b.Arch, b.Weights, b.ImageSize, b.BatchSize, b.Seed, b.Variant)).ToList(),
            spec.Ensembles.Select(e => new ReportEnsemble(e.Name, e.Method, e.Members, e.Inputs,
                EnsembleMethods.ByName(e.Method).Uses(EnsembleSetting.Hidden) ? e.Hidden : null)).ToList());
        var deps = plan.Tasks.Where(t => t.Descriptor.Reported);
        plan.Add(this, null, parameters, deps);
    }
}
