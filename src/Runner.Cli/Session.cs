using System.Text.Json.Nodes;
using Runner.Core.Cache;
using Runner.Core.Config;
using Runner.Core.Data;
using Runner.Core.Planning;
using Runner.Core.Reporting;
using Runner.Torch;
using Runner.Torch.Ensembles;
using Runner.Torch.Models;
using Runner.Torch.Weights;

namespace Runner.Cli;

/// <summary>An experiment file loaded and checked, with everything planning needs.</summary>
public sealed record Session(
    ExperimentSpec Spec, ReportTemplates Templates, (string Digest, int Files) Dataset, IReadOnlyDictionary<string, string> WeightsDigests)
{
    public const string CacheDirectory = ".runner/cache";

    /// <summary>Parses and validates; every problem becomes a <see cref="ConfigException"/> (exit 2).</summary>
    /// <param name="hashContent"><c>--hash-content</c>: fingerprint the dataset by SHA-256 of file contents instead of sizes and modification times.</param>
    public static Session Load(string file, bool hashContent = false)
    {
        var spec = new ExperimentLoader(ArchRegistry.Default).Load(file);
        if (hashContent) spec = spec with { Dataset = spec.Dataset with { HashContent = true } };
        var templates = ReportTemplates.Load(spec.Report, file);
        var weights = ResolveWeights(spec, file);
        try
        {
            return new Session(spec, templates, DatasetScanner.Fingerprint(spec.Dataset), weights);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(file, 0, 0, $"dataset: {e.Message}")]);
        }
    }

    public TaskGraph Plan(TorchRuntime runtime) => Plan(runtime.HardwareFingerprint());

    public TaskGraph Plan(JsonObject hardware) =>
        Planner.Plan(Spec, new PlanInputs(Dataset.Digest, Dataset.Files, hardware, Templates.Digest) { WeightsDigests = WeightsDigests });

    /// <summary>Every backbone's pretrained weights must be available before anything runs; their digests key training.</summary>
    private static Dictionary<string, string> ResolveWeights(ExperimentSpec spec, string file)
    {
        var store = WeightsStore.Default();
        var digests = new Dictionary<string, string>();
        var errors = new List<ConfigError>();
        foreach (var b in spec.Backbones)
        {
            try
            {
                digests[b.Name] = BackboneWeights.Resolve(ArchRegistry.Default[b.Arch], b.Weights, store).Digest;
            }
            catch (WeightsException e)
            {
                errors.Add(new ConfigError(file, b.Location.Line, b.Location.Column, $"backbone '{b.Name}': {e.Message}"));
            }
        }
        return errors.Count == 0 ? digests : throw new ConfigException(errors);
    }

    public static CacheStore OpenCache() => new(CacheDirectory);

    /// <summary>The <c>features</c> and <c>ensemble</c> executors (planned only for experiments with <c>ensembles:</c>).</summary>
    public static IEnumerable<Runner.Core.Execution.ITaskExecutor> EnsembleExecutors(TorchRuntime runtime) =>
        [new FeaturesExecutor(runtime, ArchRegistry.Default), new Runner.Core.Ensembles.EnsembleExecutor()];
}
