using Runner.Core.Config;
using Runner.Torch.Models;

namespace Runner.Torch.Weights;

/// <summary>An experiment's pretrained weights, backbone by backbone: what a run needs and what a fetch must get.</summary>
public static class ExperimentWeights
{
    /// <summary>
    /// The SHA-256 of every backbone's pretrained weights, by backbone name (they key training); every backbone whose
    /// weights are not available is a <see cref="ConfigError"/> at its place in the file, all in one <see cref="ConfigException"/>.
    /// </summary>
    public static Dictionary<string, string> Digests(ExperimentSpec spec, ArchRegistry archs, WeightsStore store)
    {
        var digests = new Dictionary<string, string>();
        var errors = new List<ConfigError>();
        foreach (var b in spec.Backbones)
        {
            try
            {
                digests[b.Name] = BackboneWeights.Resolve(archs[b.Arch], b.Weights, store).Digest;
            }
            catch (WeightsException e)
            {
                errors.Add(new ConfigError(spec.SourceFile, b.Location.Line, b.Location.Column, $"backbone '{b.Name}': {e.Message}"));
            }
        }
        return errors.Count == 0 ? digests : throw new ConfigException(errors);
    }

    /// <summary>
    /// The released weights the experiment's backbones name that the store does not hold: (architecture, name) for
    /// <c>weights: imagenet</c> (the default release) and <c>weights: TAG</c> naming one of the architecture's release tags.
    /// </summary>
    public static IEnumerable<(ArchDefinition Arch, string Name)> MissingReleases(ExperimentSpec spec, ArchRegistry archs, WeightsStore store)
    {
        foreach (var backbone in spec.Backbones)
        {
            var definition = archs[backbone.Arch];
            if (backbone.Weights != WeightsStore.DefaultName && definition.ReleaseTagged(backbone.Weights) is null) continue;
            var missing = false;
            try { BackboneWeights.Resolve(definition, backbone.Weights, store); }
            catch (WeightsException) { missing = true; }
            if (missing) yield return (definition, backbone.Weights);
        }
    }
}
