using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// A backbone's <c>weights</c> setting resolved: <c>none</c> (from scratch), a name in the weights store
/// (<c>imagenet</c>), or a weight file. <see cref="Digest"/> goes into the train task's key.
/// </summary>
public sealed record BackboneWeights(string Setting, string Digest, WeightsEntry? Entry, string? FilePath)
{
    public const string None = "none";

    /// <summary>Throws <see cref="WeightsException"/> with what to run when the weights are not available.</summary>
    public static BackboneWeights Resolve(ArchDefinition arch, string setting, WeightsStore store)
    {
        if (setting == None) return new(setting, None, null, null);
        if (File.Exists(setting)) return new(setting, WeightsStore.Sha256Of(setting), null, Path.GetFullPath(setting));
        if (!WeightsStore.IsValidName(setting))
            throw new WeightsException($"weights: '{setting}' is neither 'none', a name in the weights store, nor an existing file");
        var entry = store.Require(arch, setting);
        return new(setting, entry.Manifest.Sha256, entry, null);
    }

    /// <summary>Copies every pretrained tensor except the head into <paramref name="model"/>; the head stays freshly initialised.</summary>
    public void LoadInto(nn.Module model, ArchDefinition arch)
    {
        if (Entry is not null)
        {
            WeightsStore.LoadBackbone(model, Entry, arch);
        }
        else if (FilePath is not null)
        {
            using var imported = WeightsImport.Import(FilePath, arch);
            WeightsImport.Copy(model.state_dict(), imported.Model.state_dict(), key => !arch.IsHeadKey(key), arch.SizedWeights);
        }
    }
}
