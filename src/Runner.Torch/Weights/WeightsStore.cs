using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Runner.Core.Util;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Pretrained weights imported into runner, under <c>$RUNNER_HOME/weights</c> (RUNNER_HOME defaults to
/// <c>~/.cache/runner</c>): per architecture, <c>&lt;name&gt;.dat</c> (TorchSharp format, strict for the architecture)
/// and <c>&lt;name&gt;.json</c> (<see cref="WeightsManifest"/>); downloads go to <c>downloads/</c>.
/// </summary>
public sealed partial class WeightsStore(string root)
{
    public const string DefaultName = "imagenet";
    private const string WeightsExtension = ".dat";
    private const string ManifestExtension = ".json";

    /// <summary>The store's folder (need not exist yet).</summary>
    public string Root { get; } = Path.GetFullPath(root);

    public string DownloadsDirectory => Path.Combine(Root, "downloads");

    /// <summary>The store at <c>$RUNNER_HOME/weights</c>.</summary>
    public static WeightsStore Default(Func<string, string?>? environment = null) => new(RunnerHome.Weights(environment));

    /// <summary>
    /// Imports <paramref name="file"/> strictly into <paramref name="arch"/> (see <see cref="WeightsImport"/>) and stores it as
    /// <paramref name="name"/>, replacing an earlier entry of that name. Throws <see cref="WeightsMismatchException"/> and
    /// <see cref="WeightsFormatException"/> (nothing is written) when the file does not fit.
    /// </summary>
    public StoredWeights Import(string file, ArchDefinition arch, string name = DefaultName, string? source = null, IWeightsFormat? format = null)
    {
        CheckName(name, "weights name");
        CheckName(arch.Name, "architecture name");
        if (!File.Exists(file)) throw new WeightsException($"{file}: no such file");
        var sourceSha = Sha256Of(file);
        using var imported = WeightsImport.Import(file, arch, format);

        var directory = Path.Combine(Root, arch.Name);
        Directory.CreateDirectory(directory);
        var weightsPath = Path.Combine(directory, name + WeightsExtension);
        var temp = Path.Combine(directory, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            imported.Model.save(temp);
            var sha = Sha256Of(temp);
            File.Move(temp, weightsPath, overwrite: true);
            var manifest = new WeightsManifest(
                arch.Name, name, Path.GetFileName(weightsPath), source ?? Path.GetFullPath(file), imported.Format, sourceSha, sha,
                imported.Parameters, imported.HeadPresent ? imported.HeadOutputs.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : WeightsManifest.NoHead,
                imported.HeadOutputs, DateTimeOffset.UtcNow) { ImageSize = imported.ImageSize };
            var manifestPath = Path.Combine(directory, name + ManifestExtension);
            Json.Write(manifestPath, manifest);
            return new StoredWeights(new WeightsEntry(manifest, weightsPath, manifestPath), imported.Notes);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Every stored entry, by architecture then name. Entries whose weight file is gone are left out.</summary>
    public IReadOnlyList<WeightsEntry> List()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.EnumerateDirectories(Root)
            .Where(d => Path.GetFileName(d) != Path.GetFileName(DownloadsDirectory))
            .SelectMany(d => Directory.EnumerateFiles(d, "*" + ManifestExtension))
            .Select(TryRead)
            .OfType<WeightsEntry>()
            .OrderBy(e => e.Arch, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The entry <paramref name="name"/> for <paramref name="arch"/>, or null when there is none.</summary>
    public WeightsEntry? Resolve(string arch, string name = DefaultName)
    {
        if (!IsValidName(arch) || !IsValidName(name)) return null;
        return TryRead(Path.Combine(Root, arch, name + ManifestExtension));
    }

    /// <summary>The entry, or a <see cref="WeightsException"/> whose message says how to get it (<see cref="AbsentMessage"/>).</summary>
    public WeightsEntry Require(ArchDefinition arch, string name = DefaultName) =>
        Resolve(arch.Name, name) ?? ImportBundled(arch, name) ?? throw new WeightsException(AbsentMessage(arch, name));

    /// <summary>Weights that ship with the application (mlnet_resnet18's ONNX) enter the store on first use, with no download.</summary>
    private WeightsEntry? ImportBundled(ArchDefinition arch, string name)
    {
        if (name != DefaultName || arch.BundledWeightsPath is not { } bundled || !File.Exists(bundled)) return null;
        return Import(bundled, arch, name, source: $"bundled with runner: {arch.BundledWeights}").Entry;
    }

    /// <summary>
    /// "no 'imagenet' weights for efficientnet_b0 in DIR: run `runner weights fetch efficientnet_b0` or
    /// `runner weights import FILE --arch efficientnet_b0`" (the fetch hint only where fetch can provide them: the default
    /// release for <c>imagenet</c>, <c>--tag TAG</c> for a release tag).
    /// </summary>
    public string AbsentMessage(ArchDefinition arch, string name = DefaultName)
    {
        var import = $"`runner weights import FILE --arch {arch.Name}{(name == DefaultName ? "" : $" --name {name}")}`";
        var fetch = name == DefaultName && arch.Release is not null ? $"`runner weights fetch {arch.Name}`"
            : arch.ReleaseTagged(name) is not null ? $"`runner weights fetch {arch.Name} --tag {name}`"
            : null;
        return fetch is not null
            ? $"no '{name}' weights for {arch.Name} in {Root}: run {fetch} or {import}"
            : $"no '{name}' weights for {arch.Name} in {Root}: run {import}";
    }

    /// <summary>The same message for an architecture known only by name (always suggests fetch).</summary>
    public string AbsentMessage(string arch, string name = DefaultName) =>
        $"no '{name}' weights for {arch} in {Root}: run `runner weights fetch {arch}` or `runner weights import FILE --arch {arch}" +
        (name == DefaultName ? "`" : $" --name {name}`");

    /// <summary>True when the stored file still has the SHA-256 its manifest records.</summary>
    public static bool Verify(WeightsEntry entry) =>
        File.Exists(entry.WeightsPath) && string.Equals(Sha256Of(entry.WeightsPath), entry.Manifest.Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Loads a stored entry into <paramref name="model"/>, a model of <paramref name="arch"/> built with a NEW head (any size):
    /// every non-head parameter and buffer is copied, the head keys are left as they are. The stored file is first loaded
    /// strictly into a twin built with the stored head size, and every non-head key of <paramref name="model"/> must be found
    /// there with the same shape — anything else throws <see cref="WeightsException"/>; nothing is ever loaded silently partially.
    /// Works for a model on any device.
    /// </summary>
    public static BackboneLoad LoadBackbone(nn.Module model, WeightsEntry entry, ArchDefinition arch)
    {
        if (entry.Arch != arch.Name)
            throw new WeightsException($"stored weights {entry.WeightsPath} are for {entry.Arch}, not {arch.Name}");
        if (!File.Exists(entry.WeightsPath))
            throw new WeightsException($"stored weights {entry.WeightsPath} are missing; import them again");

        using var stored = arch.Create(entry.Manifest.HeadOutputs, entry.Manifest.ImageSize);
        try
        {
            stored.load(entry.WeightsPath, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsException(
                $"stored weights {entry.WeightsPath} do not fit {arch.Name} as runner now builds it ({e.Message}); " +
                $"import them again with `runner weights import FILE --arch {arch.Name} --name {entry.Name}`", e);
        }

        var source = stored.state_dict();
        var target = model.state_dict();
        var headKeys = target.Keys.Where(arch.IsHeadKey).ToList();
        var problems = new List<string>();
        foreach (var (key, tensor) in target)
        {
            if (arch.IsHeadKey(key)) continue;
            if (!source.TryGetValue(key, out var value)) problems.Add($"{key}: not in the stored weights");
            else if (!tensor.shape.SequenceEqual(value.shape) && !Resizes(arch, key, value, tensor.shape))
                problems.Add($"{key}: stored [{string.Join(", ", value.shape)}] vs model [{string.Join(", ", tensor.shape)}]");
        }
        if (target.Count == headKeys.Count) problems.Add("the model has no parameters outside its head");
        if (problems.Count > 0)
            throw new WeightsException(
                $"cannot load {entry.WeightsPath} into {arch.Name}: {problems.Count} non-head key(s) do not match: " +
                StateDicts.Preview(problems, 10));

        var loaded = WeightsImport.Copy(target, source, key => !arch.IsHeadKey(key), arch.SizedWeights);
        if (loaded != target.Count - headKeys.Count)
            throw new WeightsException($"loaded {loaded} of {target.Count - headKeys.Count} non-head tensors from {entry.WeightsPath}");
        return new BackboneLoad(entry, loaded, headKeys);
    }

    /// <summary>
    /// Whether <paramref name="stored"/>, made for another image size, carries over to <paramref name="shape"/> (ViT's position embedding).
    /// </summary>
    private static bool Resizes(ArchDefinition arch, string key, Tensor stored, long[] shape)
    {
        using var resized = arch.SizedWeights?.Resize(key, stored, shape);
        return resized is not null && resized.shape.SequenceEqual(shape);
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static void CheckName(string name, string what)
    {
        if (!IsValidName(name))
            throw new WeightsException($"invalid {what} '{name}': use letters, digits, '.', '_' and '-' (not starting with '.')");
    }

    private static WeightsEntry? TryRead(string manifestPath)
    {
        if (!File.Exists(manifestPath)) return null;
        WeightsManifest manifest;
        try
        {
            manifest = Json.Read<WeightsManifest>(manifestPath);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            return null;
        }
        if (manifest.File is null || !IsValidName(manifest.File)) return null;
        var weights = Path.Combine(Path.GetDirectoryName(manifestPath)!, manifest.File);
        return File.Exists(weights) ? new WeightsEntry(manifest, weights, manifestPath) : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$")]
    private static partial Regex NamePattern();
}
