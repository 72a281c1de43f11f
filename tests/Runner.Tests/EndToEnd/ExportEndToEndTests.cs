using TorchSharp;
using Runner.Core.Cache;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Core.Planning.Kinds;
using Runner.Core.Util;
using Runner.Tests.Fixtures;
using Runner.Torch.Export;
using Runner.Torch.Models;
using Runner.Torch.Training;
using Runner.Torch.Weights;
using Runner.Cli;

namespace Runner.Tests.EndToEnd;

/// <summary>The on-demand <c>export</c> task kind: planned for every backbone, run only when selected by id.</summary>
public sealed class ExportEndToEndTests : IDisposable
{
    private readonly TinyExperiment _experiment = new();

    [Fact]
    public void Export_tasks_are_planned_on_demand_and_join_a_run_only_through_only()
    {
        var spec = Yaml.Parse(Yaml.Basic(Path.Combine(_experiment.Root, "data")));
        var graph = Yaml.Plan(spec);

        Assert.DoesNotContain(graph.Tasks, t => t.Kind == ExportTask.Name);
        Assert.Equal(["export:resnet18", "export:mobilenet_v2"], graph.OnDemand.Select(t => t.Id.ToString()));
        var without = TaskKindRegistry.Kinds.Where(k => k is not ExportTask).ToList();
        Assert.Equal(Planner.Plan(spec, Yaml.Inputs(), without).Tasks.Select(t => t.Key), graph.Tasks.Select(t => t.Key)); // adding the kind changes no other task
        var only = TaskSelection.Only(graph, ["export:resnet18"]);
        Assert.Equal(["data", "train:resnet18", "export:resnet18"], only.Tasks.Select(t => t.Id.ToString()));
    }

    [Fact]
    public void Exported_model_reimports_through_the_safetensors_format_with_the_same_logits()
    {
        var run = _experiment.Runner("run", "tiny.yaml", "--progress", "plain");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.False(Directory.Exists(Path.Combine(_experiment.Root, "exports")), "a plain run must not export");

        var export = _experiment.Runner("run", "tiny.yaml", "--only", "export:*", "--progress", "plain");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("3 tasks: 1 ran, 2 cached", export.Output);
        var folder = Path.Combine(_experiment.Root, ExportTask.Folder("tiny"));
        var metadata = Json.Read<ExportMetadata>(Path.Combine(folder, "mobilenet_v2.json"));
        var arch = ArchRegistry.Default["mobilenet_v2"];
        Assert.Equal(["bright", "dark"], metadata.Classes);
        Assert.Equal(("mobilenet_v2", 16, Planner.RunnerVersion), (metadata.Arch, metadata.ImageSize, metadata.RunnerVersion));
        Assert.Equal(arch.Normalization.Mean, metadata.Mean);
        Assert.Equal(arch.Normalization.Std, metadata.Std);

        var cache = new CacheStore(Path.Combine(_experiment.Root, ".runner", "cache"));
        var train = cache.Find(cache.LatestKey("tiny", "train:mobilenet_v2")!)!;
        using var trained = TrainedModel.Load(train, arch, torch.CPU);
        var file = Path.Combine(folder, "mobilenet_v2.safetensors");
        Assert.Equal("safetensors", WeightsFormats.Detect(file).Name);
        using var imported = WeightsImport.Import(file, arch);
        imported.Model.eval();
        using var _ = torch.no_grad();
        torch.manual_seed(3);
        using var images = torch.rand(4, 3, 16, 16);
        using var expected = trained.Model.forward(images);
        using var actual = imported.Model.forward(images);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    public void Dispose() => _experiment.Dispose();
}
