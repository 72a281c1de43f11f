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
    /// <param name="identity">What train keys will use; by default the file's (<see cref="WeightsIdentity.OfSource"/>).</param>
    public StoredWeights Import(string file, ArchDefinition arch, string name = DefaultName, string? source = null, IWeightsFormat? format = null,
        string? identity = null)
    {
        CheckName(name, "weights name");
        CheckName(arch.Name, "architecture name");
        if (RegularFile.Problem(file) is { } problem) throw new WeightsException($"{file}: {problem}");
        var sourceSha = Sha256Of(file);
        using var imported = WeightsImport.Import(file, arch, format);

        var directory = Path.Combine(Root, arch.Name);
        Directory.CreateDirectory(directory);
        var weightsPath = Path.Combine(directory, name + WeightsExtension);
        var temp = Path.Combine(directory, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            // A head the file lacks was drawn at random when the model was built: storing it would give the same file a
            // different stored digest in every home.
            imported.Model.save(temp, skip: imported.AbsentHeadKeys.ToList());
            var sha = Sha256Of(temp);
            File.Move(temp, weightsPath, overwrite: true);
            var manifest = new WeightsManifest(
                arch.Name, name, Path.GetFileName(weightsPath), source ?? Path.GetFullPath(file), imported.Format, sourceSha, sha,
                imported.Parameters, imported.HeadPresent ? imported.HeadOutputs.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : WeightsManifest.NoHead,
                imported.HeadOutputs, DateTimeOffset.UtcNow, identity ?? WeightsIdentity.OfSource(sourceSha, arch))
            {
                ImageSize = imported.ImageSize,
            };
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

    /// <summary>
    /// Weights that ship with the application (mlnet_resnet18's ONNX) enter the store on first use, with no download; a
    /// bundled file that is not the pinned one is refused, since plans were keyed with the pin.
    /// </summary>
    private WeightsEntry? ImportBundled(ArchDefinition arch, string name)
    {
        if (name != DefaultName || arch.Bundled is not { } bundled || !File.Exists(bundled.FullPath)) return null;
        var sha = Sha256Of(bundled.FullPath);
        if (sha != bundled.Sha256)
            throw new WeightsException($"{bundled.FullPath}: SHA-256 {sha}, not the {bundled.Sha256} runner was built with; reinstall runner");
        return Import(bundled.FullPath, arch, name, source: $"bundled with runner: {bundled.RelativePath}").Entry;
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
        var inFile = LoadStored(stored, entry, arch);

        var source = stored.state_dict();
        var target = model.state_dict();
        var headKeys = target.Keys.Where(arch.IsHeadKey).ToList();
        var problems = new List<string>();
        foreach (var (key, tensor) in target)
        {
            if (arch.IsHeadKey(key)) continue;
            if (!inFile.Contains(key) || !source.TryGetValue(key, out var value)) problems.Add($"{key}: not in the stored weights");
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

    /// <summary>
    /// Loads the stored file into <paramref name="model"/> (built with the stored head size) and returns the keys the file
    /// held: every one of the model's except a head the source lacked. A key the model does not have, a shape that differs
    /// or an unreadable file throws <see cref="WeightsException"/>; which keys must be present is the caller's to check.
    /// </summary>
    public static IReadOnlySet<string> LoadStored(nn.Module model, WeightsEntry entry, ArchDefinition arch)
    {
        var found = new Dictionary<string, bool>();
        try
        {
            model.load(entry.WeightsPath, strict: false, loadedParameters: found);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw StoredMismatch(entry, arch, e.Message, e);
        }
        if (found.Where(f => !f.Value).Select(f => f.Key).ToList() is { Count: > 0 } unknown)
            throw StoredMismatch(entry, arch, $"{unknown.Count} key(s) it does not have: {StateDicts.Preview(unknown, 5)}");
        return found.Keys.ToHashSet();
    }

    private static WeightsException StoredMismatch(WeightsEntry entry, ArchDefinition arch, string why, Exception? inner = null) =>
        new($"stored weights {entry.WeightsPath} do not fit {arch.Name} as runner now builds it ({why}); " +
            $"import them again with `runner weights import FILE --arch {arch.Name} --name {entry.Name}`", inner);

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
        if (!File.Exists(weights)) return null;
        return new WeightsEntry(manifest.Identity is null ? Migrate(manifest, manifestPath) : manifest, weights, manifestPath);
    }

    /// <summary>
    /// A manifest from before identities (runner 0.3) gets one from the source's SHA-256 it recorded, once, with a line saying
    /// so; its stored file may hold a randomly drawn head, which loading never reads. Without a recorded source digest the
    /// stored file's digest stands in, as it did then: such weights key only this home's tasks until imported again.
    /// </summary>
    private static WeightsManifest Migrate(WeightsManifest manifest, string manifestPath)
    {
        var identity = manifest.SourceSha256 is not { Length: 64 } source ? manifest.Sha256
            : ArchRegistry.Default.Names.Contains(manifest.Arch) ? WeightsIdentity.OfSource(source, ArchRegistry.Default[manifest.Arch])
            : source.ToLowerInvariant();
        var migrated = manifest with { Identity = identity };
        try
        {
            Json.Write(manifestPath, migrated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only store still works; the line below repeats until it can be written.
        }
        Console.Error.WriteLine(identity == manifest.Sha256
            ? $"note: weights {manifest.Arch}/{manifest.Name} were stored by an older runner without their source's digest; " +
              $"they keep keying this home's tasks by the stored file, so import them again to share results with other homes"
            : $"note: weights {manifest.Arch}/{manifest.Name} migrated: train keys now use their source's digest " +
              $"({identity[..Math.Min(12, identity.Length)]}…), " +
              "the same in every runner home, so their trained tasks run once more here");
        return migrated;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$")]
    private static partial Regex NamePattern();
}
