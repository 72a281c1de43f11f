using Runner.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Strict import of a weight file into an architecture: every key and shape must match (missing
/// <c>num_batches_tracked</c> buffers excepted), with a report that names the differences when they do not.
/// </summary>
internal static class WeightsImport
{
    /// <summary>The class count of an ImageNet-1k head: any other head size is noted as differing.</summary>
    public const int ImageNetClasses = 1000;

    public const string NumBatchesTracked = "num_batches_tracked";

    /// <summary>Reads <paramref name="path"/> (format detected unless given) and imports it strictly into <paramref name="arch"/>.</summary>
    public static ImportedWeights Import(string path, ArchDefinition arch, IWeightsFormat? format = null)
    {
        if (Runner.Core.Util.RegularFile.Problem(path) is { } problem) throw new WeightsException($"{path}: {problem}");
        format ??= WeightsFormats.Detect(path);
        var stateDict = format.Read(path, arch);
        try
        {
            return Import(stateDict, arch, format.Name, path);
        }
        finally
        {
            StateDicts.Dispose(stateDict.Values);
        }
    }

    /// <summary>
    /// Builds <c>arch.Create(outputs, size)</c> with outputs from the state_dict's head (and, where the architecture's shapes
    /// follow the image size, the size its shapes say), compares keys and shapes, and copies every tensor in. Keys of older
    /// releases are renamed first (<see cref="ArchDefinition.LegacyKey"/>). Throws <see cref="WeightsMismatchException"/>
    /// (nothing built is kept) when they do not match. The caller keeps ownership of <paramref name="stateDict"/>'s tensors.
    /// </summary>
    public static ImportedWeights Import(IReadOnlyDictionary<string, Tensor> stateDict, ArchDefinition arch, string format, string source)
    {
        (stateDict, var renamed) = CurrentNames(stateDict, arch, source);
        RequireFinite(stateDict, source);
        var shapes = Shapes(stateDict);
        var (outputs, headPresent) = InferHead(shapes, arch, source);
        var imageSize = arch.SizedWeights?.ImageSizeOf(shapes);
        var model = arch.Create(outputs, imageSize);
        try
        {
            var modelState = model.state_dict();
            var comparison = Compare(Shapes(modelState), Shapes(stateDict), arch, headPresent);
            if (!comparison.Matches) throw Mismatch(comparison, source, arch, outputs);

            Copy(modelState, stateDict);
            var notes = new List<string>();
            if (renamed > 0)
                notes.Add($"{renamed} key(s) had the older names of {arch.Name}'s release files; renamed as torchvision does on load");
            if (imageSize is { } size && size != arch.DefaultImageSize)
                notes.Add($"made for {size} px images ({arch.Name}'s default is {arch.DefaultImageSize}); " +
                    "training at another size resizes what depends on it");
            var tracked = comparison.Tolerated.Count(IsNumBatchesTracked);
            if (tracked > 0)
                notes.Add($"{tracked} {NumBatchesTracked} buffer(s) absent from the file (an older PyTorch); they stay 0");
            var auxiliary = comparison.Tolerated.Where(k => arch.AuxiliaryHeadPrefix is { } aux && IsUnder(k, aux)).ToList();
            if (auxiliary.Count > 0)
                notes.Add($"the file has no auxiliary head ({arch.AuxiliaryHeadPrefix}.*, {auxiliary.Count} keys): none is stored; each train task initialises it from its seed");
            if (!headPresent)
                notes.Add($"the file has no head ({arch.HeadPrefix}.*): none is stored; each train task initialises its own from its seed");
            else if (outputs != ImageNetClasses)
                notes.Add($"the head differs from ImageNet's: {arch.HeadPrefix} has {outputs} output(s), not {ImageNetClasses}; " +
                    "training replaces the head, so only the backbone is used");
            var absent = comparison.Tolerated.Where(arch.IsHeadKey).ToList();
            return new ImportedWeights(model, arch, format, outputs, headPresent, model.parameters().Sum(p => p.numel()), comparison, notes, absent)
            {
                ImageSize = imageSize,
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The head size a state_dict was trained with: the first dimension of <c>HeadPrefix.weight</c> (else of any head key),
    /// or (1, false) when the state_dict has no key under the head prefix.
    /// </summary>
    public static (int Outputs, bool Present) InferHead(IReadOnlyDictionary<string, long[]> shapes, ArchDefinition arch,
        string source = "the file")
    {
        var headKeys = shapes.Keys.Where(k => IsUnder(k, arch.HeadPrefix)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (headKeys.Count == 0) return (1, false);
        var preferred = new[] { $"{arch.HeadPrefix}.weight", $"{arch.HeadPrefix}.bias" }.Concat(headKeys)
            .FirstOrDefault(k => shapes.TryGetValue(k, out var shape) && shape.Length >= 1);
        if (preferred is null)
            throw new WeightsFormatException($"{source}: the head keys ({string.Join(", ", headKeys)}) have no dimension to read the class count from");
        var outputs = shapes[preferred][0];
        if (outputs is < 1 or > WeightsScreen.MaxHeadOutputs)
            throw new WeightsFormatException($"{source}: {preferred} has {outputs} outputs (a head may have 1 to {WeightsScreen.MaxHeadOutputs:N0})");
        return ((int)outputs, true);
    }

    /// <summary>
    /// The state_dict (or what a file declares) under today's key names: keys of older releases renamed by
    /// <see cref="ArchDefinition.LegacyKey"/>, as torchvision renames them on load, with how many were.
    /// </summary>
    public static (IReadOnlyDictionary<string, T> Current, int Renamed) CurrentNames<T>(IReadOnlyDictionary<string, T> stateDict,
        ArchDefinition arch, string source)
    {
        if (arch.LegacyKey is not { } legacy) return (stateDict, 0);
        var current = new Dictionary<string, T>(StringComparer.Ordinal);
        var renamed = 0;
        foreach (var (key, value) in stateDict)
        {
            var name = legacy(key);
            if (name != key) renamed++;
            if (!current.TryAdd(name, value))
                throw new WeightsFormatException($"{source}: '{key}' and another key both mean '{name}' (older and current names mixed)");
        }
        return (current, renamed);
    }

    public static Dictionary<string, long[]> Shapes(IReadOnlyDictionary<string, Tensor> stateDict) =>
        stateDict.ToDictionary(e => e.Key, e => e.Value.shape, StringComparer.Ordinal);

    /// <summary>The report of a failed strict import: every kind of difference, with the head size the comparison assumed.</summary>
    public static WeightsMismatchException Mismatch(WeightsComparison comparison, string source, ArchDefinition arch, int outputs) =>
        new(comparison, $"{source} does not match architecture {arch.Name} " +
            $"(strict import; head {arch.HeadPrefix} built with {outputs} output(s)):\n{comparison.Describe()}");

    /// <summary>Compares a model's state_dict shapes with a file's: missing (model order), unexpected (sorted) and wrong-shape keys.</summary>
    public static WeightsComparison Compare(
        IReadOnlyDictionary<string, long[]> model, IReadOnlyDictionary<string, long[]> file, ArchDefinition arch, bool headPresent = true)
    {
        var missing = new List<string>();
        var tolerated = new List<string>();
        // A head the file lacks altogether (the main head when !headPresent; an auxiliary head with no key in the file)
        // is tolerated: training replaces heads anyway.
        var auxiliaryAbsent = arch.AuxiliaryHeadPrefix is { } aux && !file.Keys.Any(k => IsUnder(k, aux));
        bool AbsentHead(string key) =>
            (!headPresent && IsUnder(key, arch.HeadPrefix)) || (auxiliaryAbsent && IsUnder(key, arch.AuxiliaryHeadPrefix!));
        var wrongShape = new List<ShapeMismatch>();
        foreach (var (key, shape) in model)
        {
            if (!file.TryGetValue(key, out var other))
            {
                if (IsNumBatchesTracked(key) || AbsentHead(key)) tolerated.Add(key);
                else missing.Add(key);
            }
            else if (!shape.SequenceEqual(other))
            {
                wrongShape.Add(new ShapeMismatch(key, shape, other));
            }
        }
        var unexpected = file.Keys.Where(k => !model.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        return new WeightsComparison(missing, unexpected, wrongShape, tolerated);
    }

    /// <summary>
    /// In place, without autograd: <c>target[key].copy_(source[key])</c> for every key both have. Shapes must match, except
    /// where <paramref name="sized"/> resizes a tensor made for another image size (a ViT's position embedding).
    /// </summary>
    public static int Copy(IReadOnlyDictionary<string, Tensor> target, IReadOnlyDictionary<string, Tensor> source, Func<string, bool>? include = null,
        ISizedWeights? sized = null)
    {
        var copied = 0;
        using var _ = torch.no_grad();
        foreach (var (key, tensor) in target)
        {
            if (include is not null && !include(key)) continue;
            if (!source.TryGetValue(key, out var value)) continue;
            if (!tensor.shape.SequenceEqual(value.shape) && sized?.Resize(key, value, tensor.shape) is { } resized)
                using (resized) tensor.copy_(resized);
            else
                tensor.copy_(value);
            copied++;
        }
        return copied;
    }

    /// <summary>
    /// The imported model rebuilt for <paramref name="imageSize"/>, every tensor (head included) carried over and resized where
    /// it depends on the size; the imported model itself when nothing does or the size is its own.
    /// </summary>
    public static nn.Module<Tensor, Tensor> AtImageSize(ImportedWeights imported, int imageSize)
    {
        var arch = imported.Arch;
        if (arch.SizedWeights is null || imageSize == (imported.ImageSize ?? arch.DefaultImageSize)) return imported.Model;
        var model = arch.Create(imported.HeadOutputs, imageSize);
        Copy(model.state_dict(), imported.Model.state_dict(), sized: arch.SizedWeights);
        return model;
    }

    /// <summary>Refuses a file with NaN or infinite values (a diverged training run): every prediction from it would be NaN.</summary>
    private static void RequireFinite(IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        foreach (var (key, tensor) in stateDict.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!tensor.is_floating_point()) continue;
            using var finite = tensor.isfinite();
            using var all = finite.all();
            if (!all.item<bool>())
                throw new WeightsFormatException($"{source}: tensor '{key}' holds NaN or infinite values; such weights cannot be imported");
        }
    }

    private static bool IsUnder(string key, string prefix) => key.StartsWith(prefix + ".", StringComparison.Ordinal);

    public static bool IsNumBatchesTracked(string key) =>
        key == NumBatchesTracked || key.EndsWith("." + NumBatchesTracked, StringComparison.Ordinal);
}
