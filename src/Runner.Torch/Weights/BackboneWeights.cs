using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// A backbone's <c>weights</c> setting resolved: <c>none</c> (from scratch), a name in the weights store
/// (<c>imagenet</c>), or a weight file. <see cref="Digest"/> is its <see cref="WeightsIdentity"/>, which keys training.
/// </summary>
internal sealed record BackboneWeights(string Setting, string Digest, WeightsEntry? Entry, string? FilePath)
{
    public const string None = WeightsIdentity.None;

    /// <summary>
    /// The identity a plan keys the train task with, reading the store's manifests but importing and downloading nothing:
    /// a plan of cached work needs no weights file. Throws <see cref="WeightsException"/> with what to run when only the
    /// file itself could tell.
    /// </summary>
    public static string Identity(ArchDefinition arch, string setting, WeightsStore store)
    {
        if (setting == None) return None;
        if (File.Exists(setting)) return WeightsIdentity.OfSource(WeightsStore.Sha256Of(setting), arch);
        CheckSetting(setting);
        return store.Resolve(arch.Name, setting)?.Identity ?? WeightsIdentity.Expected(arch, setting)
            ?? throw new WeightsException(store.AbsentMessage(arch, setting));
    }

    /// <summary>
    /// The weights to load, importing bundled ones on first use. Throws <see cref="WeightsException"/> with what to run
    /// when they are not here.
    /// </summary>
    public static BackboneWeights Resolve(ArchDefinition arch, string setting, WeightsStore store)
    {
        if (setting == None) return new(setting, None, null, null);
        if (File.Exists(setting))
            return new(setting, WeightsIdentity.OfSource(WeightsStore.Sha256Of(setting), arch), null, Path.GetFullPath(setting));
        CheckSetting(setting);
        var entry = store.Require(arch, setting);
        return new(setting, entry.Identity, entry, null);
    }

    private static void CheckSetting(string setting)
    {
        if (!WeightsStore.IsValidName(setting))
            throw new WeightsException($"weights: '{setting}' is neither 'none', a name in the weights store, nor an existing file");
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
