using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Data;
using Runner.Core.Util;
using Runner.Torch.Models;
using Runner.Torch.Training;
using TorchSharp.PyBridge;

namespace Runner.Torch.Export;

/// <summary>
/// The on-demand <c>export:BACKBONE</c> task: the trained model as <c>.safetensors</c> (a state_dict that
/// <c>runner weights import</c> and the safetensors weights format read back) plus <see cref="ExportMetadata"/>.
/// Planned for every backbone but run only when asked (<c>runner run FILE --only 'export:*'</c>); materialised to
/// <c>exports/EXPERIMENT/BACKBONE.safetensors</c> and <c>.json</c> under the working directory.
/// </summary>
public sealed class ExportTask(ArchRegistry? archs = null) : IBackboneTaskKind, ITaskExecutor<ExportTask>, IMaterializes
{
    public const string Name = "export";
    public const string Model = "model.safetensors";
    public const string Metadata = "model.json";

    private readonly ArchRegistry _archs = archs ?? ArchRegistry.Default;

    string ITaskKind.Name => Name;
    public ResourceClass Resource => ResourceClass.Cpu;
    public bool OnDemand => true;
    public int Revision => 1;

    /// <summary>Where an experiment's exports go, relative to the working directory.</summary>
    public static string Folder(string experiment) => Path.Combine("exports", experiment);

    public void Plan(PlanContext plan, BackboneSpec backbone) =>
        plan.Add(this, backbone.Name, new ExportParams(plan.Spec.Name, backbone.Name, backbone.Arch, backbone.ImageSize),
            plan[TrainKind.Of(backbone.Name)], plan[DataKind.Id]);

    public void Execute(TaskContext context)
    {
        var p = context.Params<ExportParams>();
        var arch = _archs[p.Arch];
        using var trained = TrainedModel.Load(context.Input(TrainKind.Of(p.Backbone)), arch, TorchSharp.torch.CPU);
        Safetensors.SaveStateDict(context.Output(Model), trained.Model.state_dict());
        var n = arch.Normalization;
        Json.Write(context.Output(Metadata), new ExportMetadata(
            "runner-export/1", Planner.RunnerVersion, p.Experiment, p.Backbone, p.Arch, p.ImageSize, arch.HeadPrefix,
            n.Name, n.Mean, n.Std, n.Bgr, n.Scale, SplitManifest.Read(context.Input(DataKind.Id)).Classes));
    }

    public string Describe(PlannedTask task, TaskEnvironment environment) =>
        ((ExportParams)task.Parameters) is var p ? $"Export: {Path.Combine(Folder(p.Experiment), p.Backbone + ".safetensors")}" : "";

    public void Materialize(CacheEntry entry, PlannedTask task, TaskEnvironment environment, CancellationToken cancel)
    {
        var p = (ExportParams)task.Parameters;
        var folder = Folder(p.Experiment);
        Directory.CreateDirectory(folder);
        foreach (var (file, extension) in new[] { (Model, ".safetensors"), (Metadata, ".json") })
            AtomicFile.WriteAllBytes(Path.Combine(folder, p.Backbone + extension), File.ReadAllBytes(entry.PathOf(file)));
    }
}
