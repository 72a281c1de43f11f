using Runner.Core.Config;
using Runner.Torch.Models;

namespace Runner.Torch.Weights;

/// <summary>An experiment's pretrained weights, backbone by backbone: what a plan keys, what a run needs and what a fetch must get.</summary>
public static class ExperimentWeights
{
    /// <summary>
    /// Every backbone's <see cref="WeightsIdentity"/>, by backbone name (they key training), known without importing or
    /// downloading; a backbone whose identity only its file could tell is a <see cref="ConfigError"/> at its place in the
    /// file, all in one <see cref="ConfigException"/>.
    /// </summary>
    public static Dictionary<string, string> Digests(ExperimentSpec spec, ArchRegistry archs, WeightsStore store) =>
        ForEach(spec, spec.Backbones, b => BackboneWeights.Identity(archs[b.Arch], b.Weights, store));

    /// <summary>
    /// Checks, before anything runs, that the backbones in <paramref name="training"/> (those whose train task must run)
    /// have their weights on this machine, importing bundled ones; the others are never read. Throws
    /// <see cref="ConfigException"/> naming each backbone that lacks them and what to run.
    /// </summary>
    public static void RequireAvailable(ExperimentSpec spec, ArchRegistry archs, WeightsStore store, IReadOnlySet<string> training) =>
        ForEach(spec, spec.Backbones.Where(b => training.Contains(b.Name)), b => BackboneWeights.Resolve(archs[b.Arch], b.Weights, store).Digest);

    /// <summary>
    /// Backbones whose weights are not on this machine: a store name the store lacks (bundled weights count as here,
    /// they are imported on first use). Their training needs a fetch or import first; their cached results need none.
    /// </summary>
    public static IEnumerable<BackboneSpec> NotHere(ExperimentSpec spec, ArchRegistry archs, WeightsStore store) =>
        spec.Backbones.Where(b => b.Weights != BackboneWeights.None && !File.Exists(b.Weights) && store.Resolve(b.Arch, b.Weights) is null &&
            !(b.Weights == WeightsStore.DefaultName && archs[b.Arch].Bundled is { } bundled && File.Exists(bundled.FullPath)));

    /// <summary>
    /// The released weights the experiment's backbones name that are not on this machine: (architecture, name) for
    /// <c>weights: imagenet</c> (the default release) and <c>weights: TAG</c> naming one of the architecture's release tags.
    /// </summary>
    public static IEnumerable<(ArchDefinition Arch, string Name)> MissingReleases(ExperimentSpec spec, ArchRegistry archs, WeightsStore store) =>
        NotHere(spec, archs, store)
            .Where(b => b.Weights == WeightsStore.DefaultName || archs[b.Arch].ReleaseTagged(b.Weights) is not null)
            .Select(b => (archs[b.Arch], b.Weights));

    private static Dictionary<string, string> ForEach(ExperimentSpec spec, IEnumerable<BackboneSpec> backbones, Func<BackboneSpec, string> digest)
    {
        var digests = new Dictionary<string, string>();
        var errors = new List<ConfigError>();
        foreach (var b in backbones)
        {
            try
            {
                digests[b.Name] = digest(b);
            }
            catch (WeightsException e)
            {
                errors.Add(new ConfigError(spec.SourceFile, b.Location.Line, b.Location.Column, $"backbone '{b.Name}': {e.Message}"));
            }
        }
        return errors.Count == 0 ? digests : throw new ConfigException(errors);
    }
}
