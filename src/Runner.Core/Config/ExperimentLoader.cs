using Runner.Core.Reporting;
using Runner.Core.Util;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>Reads an experiment YAML file into an <see cref="ExperimentSpec"/>, reporting every problem with its location.</summary>
public sealed class ExperimentLoader(IArchCatalog archs)
{
    public static readonly string[] TopKeys = ["name", "dataset", "defaults", "augmentations", "backbones", "timing", "report", "evaluation", "ensembles", "matrix"];
    public static readonly string[] SettingKeys =
        ["image_size", "epochs", "batch_size", "optimizer", "schedule", "label_smoothing", "grad_clip", "trainable", "early_stopping", "augment", "seed", "weights", "phases",
         "drop_path", "precision", "channels_last"];
    public static readonly string[] DefaultsKeys = [.. SettingKeys, "repeats"];
    public static readonly string[] BackboneKeys = ["name", "arch", .. SettingKeys, "repeats", "matrix"];
    public static readonly string[] TimingKeys = ["warmup", "iterations", "batch_sizes", "throughput"];
    public static readonly string[] ThroughputKeys = ["batch_size", "warmup", "iterations", "detail"];
    public static readonly string[] ReportKeys = ["template", "output"];
    public static readonly string[] Optimizers = TrainingSettings.Optimizers;
    public static readonly string[] TrainablePolicies = TrainingSettings.TrainablePolicies;

    /// <summary>Whether dataset.path and dataset.predict must exist; off only where the data is not needed (fetching weights).</summary>
    public bool CheckDatasetPaths { get; init; } = true;

    /// <summary>Experiment files are small; anything larger is refused before it is read further.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Lists and mappings nested deeper than this are refused before YamlDotNet builds them (its loader recurses).</summary>
    public const int MaxNesting = 64;

    public ExperimentSpec Load(string file) => Parse(ReadBounded(file), file);

    /// <summary>The file's text, refusing a missing file, a folder and anything over <see cref="MaxFileBytes"/> (e.g. /dev/zero).</summary>
    public static string ReadBounded(string file)
    {
        ConfigException Error(string message) => new([new ConfigError(file, 0, 0, message)]);
        if (Directory.Exists(file)) throw Error("is a folder; give an experiment YAML file");
        if (!File.Exists(file)) throw Error("experiment file not found");
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.None);
            var buffer = new byte[MaxFileBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
            if (length > MaxFileBytes) throw Error($"larger than {MaxFileBytes / 1024} KiB; an experiment file is a few KiB of YAML");
            return new System.Text.UTF8Encoding(false).GetString(buffer, 0, length).TrimStart('\uFEFF');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error($"cannot be read: {e.Message}");
        }
    }

    public ExperimentSpec Parse(string yaml, string file)
    {
        var errors = new YamlErrors(file);
        var spec = Read(RootNode(yaml, file), errors);
        if (errors.Items.Count > 0 || spec is null)
            throw new ConfigException(errors.Items.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        return spec;
    }

    /// <summary>
    /// The experiment's name as <see cref="Load"/> gives it, checking only the YAML and the name: what <c>cache gc</c>
    /// needs, so an experiment whose dataset is absent on this machine still keeps its entries.
    /// </summary>
    public static string NameOf(string file)
    {
        var root = RootNode(ReadBounded(file), file);
        var errors = new YamlErrors(file);
        var name = (root as YamlMappingNode)?.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: "name" }).Value is { } node
            ? (node as YamlScalarNode)?.Value ?? ""
            : System.IO.Path.GetFileNameWithoutExtension(file);
        if (NameProblem(name) is { } problem) errors.Add(root, problem);
        return errors.Items.Count == 0 ? name : throw new ConfigException(errors.Items);
    }

    /// <summary>The first document's root node; a syntax error, an empty file or nesting too deep is a located <see cref="ConfigException"/>.</summary>
    private static YamlNode RootNode(string yaml, string file)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            CheckNesting(yaml, file);
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ConfigException([new ConfigError(file, (int)e.Start.Line, (int)e.Start.Column, YamlMessage(e))]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet gives up this way on some unclosed '[' / '{'; the parser's last event marks where.
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new ConfigException([new ConfigError(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "malformed YAML here (an unclosed '[' or '{'?)")]);
        }
        return stream.Documents.Count > 0
            ? stream.Documents[0].RootNode
            : throw new ConfigException([new ConfigError(file, 1, 1, "the file is empty")]);
    }

    /// <summary>
    /// Walks the parser's events (no tree, no recursion) and stops at the first collection nested too deep. A syntax error
    /// ends the walk quietly: loading the tree reports it, with its position.
    /// </summary>
    private static void CheckNesting(string yaml, string file)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (MoveNext(parser))
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart when ++depth > MaxNesting:
                    throw new ConfigException([new ConfigError(file, (int)parser.Current.Start.Line, (int)parser.Current.Start.Column,
                        $"lists and mappings are nested more than {MaxNesting} deep here")]);
                case YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    private static bool MoveNext(Parser parser)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string YamlMessage(YamlException e) =>
        e.InnerException?.Message ?? e.Message.Split(": ", 2).Last();

    private ExperimentSpec? Read(YamlNode root, YamlErrors errors)
    {
        var top = YamlMap.From(errors, root, "", TopKeys);
        if (top is null) return null;

        var name = top.String("name") ?? System.IO.Path.GetFileNameWithoutExtension(errors.File);
        if (NameProblem(name) is { } nameProblem) errors.Add(top.Value("name") ?? root, nameProblem);

        var dataset = top.Require("dataset") is { } d ? DatasetReader.Read(YamlMap.From(errors, d, "dataset", DatasetReader.Keys), CheckDatasetPaths) : null;
        var augmentations = AugmentationReader.Read(top);
        var defaultsMap = top.Map("defaults", DefaultsKeys);
        var defaults = defaultsMap is { } dm ? ReadSettings(dm, augmentations) : Settings.Empty;
        var defaultRepeats = defaultsMap is null ? default : RepeatsReader.Read(defaultsMap);
        var backbones = ReadBackbones(top, defaults, defaultsMap?.Value("schedule"), defaultRepeats, augmentations);
        var timing = ReadTiming(top.Map("timing", TimingKeys));
        var reportMap = top.Map("report", ReportKeys);
        var report = ReadReport(reportMap, name);
        if (report is not null && NameProblem(name) is null && ReportFolder.Problem(report.Output, name) is { } outputProblem)
            errors.Add(reportMap?.Value("output") ?? top.Value("name") ?? root,
                $"report.output{(reportMap?.Has("output") == true ? "" : $" (default reports/{name})")}: {outputProblem}");

        if (dataset is null || backbones is null || timing is null || report is null) return null;
        var evaluation = EvaluationReader.Read(top.Map("evaluation", EvaluationReader.Keys));
        var ensembles = EnsembleReader.Read(top, backbones.Select(b => b.Name).ToList(), ExpandedNames(backbones));
        return new ExperimentSpec(name, errors.File, dataset, backbones, timing, report) { Evaluation = evaluation, Ensembles = ensembles };
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot name an experiment, backbone or ensemble (names become file names: the cache
    /// index, logs, report folder and files), or null. <paramref name="what"/> starts the message.
    /// </summary>
    public static string? NameProblem(string name, string what = "name") =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\z")
            ? null
            : name.Length > 100
                ? $"{what}: {name.Length} characters; at most 100"
                : $"{what}: '{name}' must start with a letter or digit and may only contain letters, digits, '.', '_' and '-'";

    private static Settings ReadSettings(YamlMap map, IReadOnlyDictionary<string, IReadOnlyList<AugmentOp>> augmentations)
    {
        var augment = map.String("augment");
        if (augment is not null && !augmentations.ContainsKey(augment))
            map.Errors.Add(map.Value("augment")!, $"{map.FieldPath("augment")}: no augmentation named '{augment}' in 'augmentations'{Suggest.DidYouMean(augment, augmentations.Keys)}");
        return TrainingSettings.Read(map) with
        {
            ImageSize = map.Int("image_size", 8, 4096),
            Epochs = map.Int("epochs", 1, 10_000),
            BatchSize = map.Int("batch_size", 1, 65_536),
            Augment = augment,
            Seed = map.Int("seed"),
            Weights = map.String("weights"),
            Phases = PhaseReader.Read(map),
            Precision = map.OneOf("precision", Precisions.All),
            ChannelsLast = map.Bool("channels_last"),
            DropPath = map.Double("drop_path", 0, 0.99),
        };
    }

    /// <summary>Each entry of <c>backbones</c> that matrix or repeats expanded, by its written name, with its variants' names.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ExpandedNames(IReadOnlyList<BackboneSpec> backbones) =>
        backbones.Where(b => b.Variant is not null).GroupBy(b => b.Variant!.Base)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(b => b.Name).ToList());

    private List<BackboneSpec>? ReadBackbones(YamlMap top, Settings defaults, YamlNode? defaultSchedule, RepeatsReader.Repeats defaultRepeats,
        IReadOnlyDictionary<string, IReadOnlyList<AugmentOp>> augmentations)
    {
        Settings Read(YamlMap m) => ReadSettings(m, augmentations);
        var topAxes = MatrixExpansion.ReadAxes(top, Read);
        if (top.Require("backbones") is null || top.Sequence("backbones") is not { } seq) return null;
        if (seq.Children.Count == 0) top.Errors.Add(seq, "backbones: list at least one backbone");

        var result = new List<BackboneSpec>();
        var seen = new HashSet<string>();
        var variantOf = new Dictionary<string, string>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var node = seq.Children[i];
            var path = $"backbones[{i}]";
            var map = node is YamlScalarNode scalar
                ? null
                : YamlMap.From(top.Errors, node, path, BackboneKeys);
            var name = node is YamlScalarNode { Value: { } n } ? n : map?.Require("name") is null ? null : map.String("name");
            if (name is null) continue;
            var nameNode = map?.Value("name") ?? node;
            if (NameProblem(name, $"{path}.name") is { } nameProblem)
            {
                top.Errors.Add(nameNode, nameProblem);
                continue;
            }
            if (seen.Contains(name))
            {
                top.Errors.Add(nameNode, $"{path}: backbone '{name}' is listed twice{(variantOf.TryGetValue(name, out var other) ? $" (a variant of '{other}')" : "")}; give the second one a different name and set 'arch'");
                continue;
            }
            var arch = map?.String("arch") ?? name;
            if (!archs.Names.Contains(arch))
            {
                top.Errors.Add(map?.Value("arch") ?? nameNode,
                    $"{path}: unknown backbone '{arch}'{Suggest.DidYouMean(arch, archs.Names)}; known: {string.Join(", ", archs.Names.Order())}");
                continue;
            }
            var own = map is null ? Settings.Empty : ReadSettings(map, augmentations);
            var axes = MatrixExpansion.Merge(topAxes, map is null ? [] : MatrixExpansion.ReadAxes(map, Read));
            var seeds = (map is null ? default : RepeatsReader.Read(map)).Over(defaultRepeats).Seeds;
            if (MatrixExpansion.Count(axes, seeds) is var count and > MatrixExpansion.MaxVariants)
            {
                top.Errors.Add(nameNode, $"{path}: matrix and repeats make {count} variants of '{name}'; at most {MatrixExpansion.MaxVariants}");
                continue;
            }
            var expanded = axes.Count > 0 || seeds is not null;
            foreach (var variant in MatrixExpansion.Expand(axes, seeds))
            {
                var variantName = name + variant.Suffix;
                if (expanded && NameProblem(variantName, $"{path}: variant name") is { } variantProblem)
                {
                    top.Errors.Add(nameNode, variantProblem);
                    break;
                }
                if (expanded && !seen.Add(variantName))
                {
                    top.Errors.Add(nameNode, $"{path}: variant '{variantName}' of '{name}' collides with a backbone of that name; rename one");
                    continue;
                }
                if (expanded) variantOf[variantName] = name;
                var s = variant.Overlay.Over(own).Over(defaults);
                if (s.ImageSize is { } size && archs.ImageSizeProblem(arch, size) is { } sizeProblem)
                    top.Errors.Add(map?.Value("image_size") ?? nameNode, $"{path}: {sizeProblem}");
                // drop_path in defaults applies to the backbones that have stochastic depth; set on one without, it is an error.
                var dropPath = archs.DefaultDropPath(arch) is null ? null : s.DropPath;
                if (own.DropPath is not null && archs.DefaultDropPath(arch) is null)
                    top.Errors.Add(map!.Value("drop_path")!, $"{path}.drop_path: {arch} has no stochastic depth; drop_path applies to " +
                        string.Join(", ", archs.Names.Where(a => archs.DefaultDropPath(a) is not null).Order()));
                if (s.Trainable is { } trainable && Trainable.LastBlocks(trainable) is { } last && archs.TrainableBlocks(arch) is { } blocks && last > blocks)
                    top.Errors.Add(map?.Value("trainable") ?? nameNode,
                        $"{path}: trainable: {trainable}{(map?.Value("trainable") is null ? " (from defaults)" : "")}, but {arch} has {blocks} blocks; use last-1 … last-{blocks}, head or all");
                var augmentName = s.Augment ?? "none";
                // A problem in the merged settings is reported where this backbone sets a schedule, else at the defaults' one (once).
                var training = map?.Value("schedule") is { } ownSchedule
                    ? s.Training(top.Errors, ownSchedule, $"{path}.schedule")
                    : defaultSchedule is not null
                        ? s.Training(top.Errors, defaultSchedule, "defaults.schedule")
                        : s.Training(top.Errors, nameNode, path);
                if (training is null) continue;
                var phases = s.Phases is { } written ? PhaseReader.Resolve(written, s, arch, archs, top.Errors) : null;
                if (s.Phases is not null && phases is null) continue;
                result.Add(new BackboneSpec(
                    variantName, arch, s.Weights ?? "none",
                    s.ImageSize ?? archs.DefaultImageSize(arch, s.Weights ?? "none"),
                    phases?.Sum(p => p.Epochs) ?? s.Epochs ?? 1,
                    s.BatchSize ?? 32,
                    training.Optimizer,
                    s.Trainable ?? "all",
                    augmentName,
                    augmentations.TryGetValue(augmentName, out var ops) ? ops : [],
                    s.Seed ?? 42,
                    new ConfigLocation((int)(map?.Value("weights") ?? node).Start.Line, (int)(map?.Value("weights") ?? node).Start.Column))
                {
                    Schedule = training.Schedule,
                    LabelSmoothing = training.LabelSmoothing,
                    GradClip = training.GradClip,
                    EarlyStopping = training.EarlyStopping,
                    Variant = expanded ? new VariantInfo(name, name + variant.GroupSuffix, variant.Swept, seeds) : null,
                    Phases = phases,
                    Precision = s.Precision ?? Precisions.Default,
                    ChannelsLast = s.ChannelsLast ?? BackboneSpec.DefaultChannelsLast,
                    DropPath = dropPath,
                });
            }
            seen.Add(name);
        }
        return result;
    }

    private static TimingSpec? ReadTiming(YamlMap? map)
    {
        var timing = new TimingSpec(Warmup: 10, Iterations: 100, BatchSizes: [1]);
        if (map is null) return timing;
        return new TimingSpec(
            map.Int("warmup", 0, 100_000) ?? timing.Warmup,
            map.Int("iterations", 1, 1_000_000) ?? timing.Iterations,
            map.IntList("batch_sizes", 1) ?? timing.BatchSizes) { Throughput = ReadThroughput(map.Map("throughput", ThroughputKeys)) };
    }

    private static ThroughputSpec? ReadThroughput(YamlMap? map)
    {
        if (map is null) return null;
        var defaults = new ThroughputSpec();
        return new ThroughputSpec(
            map.Int("batch_size", 1, 65_536) ?? defaults.BatchSize,
            map.Int("warmup", 0, 100_000) ?? defaults.Warmup,
            map.Int("iterations", 1, 1_000_000) ?? defaults.Iterations,
            map.Bool("detail") ?? defaults.Detail);
    }

    private static ReportSpec? ReadReport(YamlMap? map, string experiment)
    {
        var report = new ReportSpec("default", $"reports/{experiment}");
        if (map is null) return report;
        return new ReportSpec(map.String("template") ?? report.Template, map.String("output") ?? report.Output);
    }
}
