using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Core.Reporting;
using Runner.Core.Util;
using Runner.Torch;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Cli;

/// <summary>An experiment file loaded and checked, with everything planning needs.</summary>
public sealed record Session(
    ExperimentSpec Spec, ReportTemplates Templates, (string Digest, int Files) Dataset, IReadOnlyDictionary<string, string> WeightsDigests)
{
    /// <summary>The experiment file, as given on the command line.</summary>
    public string File { get; init; } = "";

    /// <summary>Parses and validates; every problem becomes a <see cref="ConfigException"/> (exit 2).</summary>
    /// <param name="hashContent"><c>--hash-content</c>, which only says that it has no effect any more.</param>
    public static Session Load(string file, bool hashContent = false)
    {
        if (hashContent)
            Console.Error.WriteLine($"note: --hash-content has no effect: datasets are always keyed by file contents (digests remembered in {RunnerHome.Memo})");
        CommandLine.RequireWritableHome(); // the digest memo lives there: a home that cannot be written is named as such, not as a dataset problem
        var spec = ExperimentFile.Load(file);
        var templates = ReportTemplates.Load(spec.Report, file);
        var weights = ExperimentWeights.Digests(spec, ArchRegistry.Default, WeightsStore.Default());
        try
        {
            return new Session(spec, templates, DatasetScanner.Fingerprint(spec.Dataset), weights) { File = file };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(file, 0, 0, $"dataset: {e.Message}")]);
        }
    }

    public TaskGraph Plan(TorchRuntime runtime) => Plan(runtime.HardwareFingerprint());

    public TaskGraph Plan(JsonObject hardware) =>
        Planner.Plan(Spec, new PlanInputs(Dataset.Digest, Dataset.Files, hardware, Templates.Digest) { WeightsDigests = WeightsDigests }, TaskKindRegistry.Kinds);

    /// <summary>
    /// Before anything runs: every backbone whose train task will execute (not cached, or forced) has its pretrained
    /// weights on this machine; training cached here or on the remote cache needs none. Throws <see cref="ConfigException"/>
    /// (exit 2) naming the backbones and what to run.
    /// </summary>
    public void RequireWeights(TaskGraph graph, CacheStore cache, IReadOnlySet<string> forced, IRemoteCache? remote = null)
    {
        var training = graph.Tasks
            .Where(t => t.Parameters is Core.Planning.Kinds.TrainParams
                && (forced.Contains(t.Id) || (cache.Find(t.Key) is null && remote?.Has(t.Key) != true)))
            .Select(t => t.Subject!).ToHashSet();
        if (training.Count > 0) ExperimentWeights.RequireAvailable(Spec, ArchRegistry.Default, WeightsStore.Default(), training);
    }

    /// <summary>The task cache under the runner home (<c>$RUNNER_HOME/cache</c>).</summary>
    public static CacheStore OpenCache() => new(RunnerHome.Cache);
}
