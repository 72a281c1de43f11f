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

    /// <summary>Architectures of the experiment's <c>weights: imagenet</c> backbones whose weights the store does not hold.</summary>
    public static IEnumerable<ArchDefinition> MissingImagenet(ExperimentSpec spec, ArchRegistry archs, WeightsStore store)
    {
        foreach (var backbone in spec.Backbones.Where(b => b.Weights == WeightsStore.DefaultName))
        {
            var definition = archs[backbone.Arch];
            ArchDefinition? missing = null;
            try { BackboneWeights.Resolve(definition, backbone.Weights, store); }
            catch (WeightsException) { missing = definition; }
            if (missing is not null) yield return missing;
        }
    }
}
