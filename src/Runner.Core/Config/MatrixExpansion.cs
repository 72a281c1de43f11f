using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>
/// <c>matrix: { optimizer.lr: [1.0e-3, 3.0e-3], image_size: [224, 299] }</c> at the top level (every backbone) or in one
/// backbone (adds keys, or replaces the lists of keys the top level names), and <c>repeats</c>: expands one entry of
/// <c>backbones</c> into variants, the cartesian product in the order the keys are written, seeds innermost. Names are
/// <c>BASE.LABELVALUE….seedN</c> (<c>resnet18.lr3e-3.size224.seed2</c>; see <see cref="Labels"/>). A swept value
/// overrides the backbone's own setting and the defaults.
/// </summary>
internal static class MatrixExpansion
{
    /// <summary>Sweepable keys and the label that starts their part of a variant name; text values get a dash (<c>trainable-head</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["image_size"] = "size",
        ["epochs"] = "epochs",
        ["batch_size"] = "batch",
        ["optimizer.lr"] = "lr",
        ["optimizer.weight_decay"] = "wd",
        ["optimizer.momentum"] = "momentum",
        ["label_smoothing"] = "ls",
        ["trainable"] = "trainable-",
        ["augment"] = "augment-",
        ["weights"] = "weights-",
        ["precision"] = "precision-",
    };

    public const int MaxVariants = 1000;

    /// <summary>One value of one swept key: what it sets and how it reads in names and results.</summary>
    internal sealed record Cell(string Key, YamlNode Node, string NamePart, object Value, Settings Overlay);

    /// <summary>One swept key with its values.</summary>
    internal sealed record Axis(string Key, IReadOnlyList<Cell> Cells);

    /// <summary>One variant before the backbone's own settings: its name suffix, what it overrides, and its swept values.</summary>
    internal sealed record Variant(string GroupSuffix, Settings Overlay, IReadOnlyList<SweptValue> Swept, int? Seed)
    {
        /// <summary>What the variant's name adds to the base name: <see cref="GroupSuffix"/>, then <c>.seedN</c> when repeated.</summary>
        public string Suffix => Seed is { } seed ? $"{GroupSuffix}.seed{seed}" : GroupSuffix;
    }

    /// <summary>The axes of the <c>matrix</c> in <paramref name="owner"/>, in file order; empty when there is none.</summary>
    public static IReadOnlyList<Axis> ReadAxes(YamlMap owner, Func<YamlMap, Settings> readSettings)
    {
        if (owner.Value("matrix") is not { } node) return [];
        var path = owner.FieldPath("matrix");
        if (node is not YamlMappingNode map)
        {
            owner.Errors.Add(node, $"{path}: expected a mapping of setting → list of values, e.g. {{ optimizer.lr: [1.0e-3, 3.0e-3] }}");
            return [];
        }
        var axes = new List<Axis>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Labels.ContainsKey(key))
            {
                owner.Errors.Add(keyNode, $"{path}: {NotSweepable(key)}");
                continue;
            }
            if (axes.Any(a => a.Key == key))
            {
                owner.Errors.Add(keyNode, $"{path}: '{key}' is listed twice");
                continue;
            }
            if (valueNode is not YamlSequenceNode { Children.Count: > 0 } values)
            {
                owner.Errors.Add(valueNode, $"{path}.{key}: expected a non-empty list of values");
                continue;
            }
            var cells = new List<Cell>();
            foreach (var value in values.Children)
            {
                if (ReadCell(owner.Errors, path, key, value, readSettings) is not { } cell) continue;
                if (cells.Any(c => c.NamePart == cell.NamePart))
                    owner.Errors.Add(value, $"{path}.{key}: the value '{(value as YamlScalarNode)?.Value}' is listed twice");
                else cells.Add(cell);
            }
            if (cells.Count == values.Children.Count) axes.Add(new Axis(key, cells));
        }
        return axes;
    }

    private static string NotSweepable(string key)
    {
        if (key == "seed") return "'seed' is not swept with matrix; use repeats: { seeds: [1, 2, 3] }";
        var sweepable = string.Join(", ", Labels.Keys);
        return ExperimentLoader.SettingKeys.Contains(key) || key.StartsWith("optimizer.", StringComparison.Ordinal) || key.StartsWith("schedule.", StringComparison.Ordinal)
            ? $"'{key}' cannot be swept; sweepable: {sweepable}"
            : $"unknown key '{key}'{Util.Suggest.DidYouMean(key, Labels.Keys)}; sweepable: {sweepable}";
    }

    /// <summary>Reads one value through the ordinary settings reader (same ranges and checks, errors at the value).</summary>
    private static Cell? ReadCell(YamlErrors errors, string path, string key, YamlNode value, Func<YamlMap, Settings> readSettings)
    {
        if (value is not YamlScalarNode { Value: { Length: > 0 } text })
        {
            errors.Add(value, $"{path}.{key}: expected a single value, got {(value is YamlScalarNode ? "nothing" : "a list or mapping")}");
            return null;
        }
        var parts = key.Split('.');
        YamlNode synthetic = new YamlMappingNode(new YamlScalarNode(parts[^1]), value);
        if (parts.Length == 2) synthetic = new YamlMappingNode(new YamlScalarNode(parts[0]), synthetic);
        var before = errors.Items.Count;
        var overlay = readSettings(new YamlMap(errors, (YamlMappingNode)synthetic, path, ExperimentLoader.SettingKeys));
        if (errors.Items.Count > before) return null;

        var label = Labels[key];
        var isText = label.EndsWith('-');
        object parsed = isText
            ? text
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? (object)i : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var namePart = label + (isText ? text : VariantNames.Number(Convert.ToDouble(parsed, CultureInfo.InvariantCulture)));
        if (ExperimentLoader.NameProblem(namePart) is not null)
        {
            errors.Add(value, $"{path}.{key}: '{text}' cannot be part of a variant name (letters, digits, '.', '_' and '-' only)");
            return null;
        }
        return new Cell(key, value, namePart, parsed, overlay);
    }

    /// <summary>The backbone's axes over the top level's: the backbone's list replaces the top level's for a key both name.</summary>
    public static IReadOnlyList<Axis> Merge(IReadOnlyList<Axis> top, IReadOnlyList<Axis> own) =>
        top.Select(t => own.FirstOrDefault(o => o.Key == t.Key) ?? t).Concat(own.Where(o => top.All(t => t.Key != o.Key))).ToList();

    /// <summary>Every variant: the cartesian product of the axes (first key outermost), then each seed; one plain variant when there is neither.</summary>
    public static IReadOnlyList<Variant> Expand(IReadOnlyList<Axis> axes, IReadOnlyList<int>? seeds)
    {
        IEnumerable<IReadOnlyList<Cell>> combinations = [[]];
        foreach (var axis in axes)
            combinations = combinations.SelectMany(c => axis.Cells.Select(cell => (IReadOnlyList<Cell>)[.. c, cell])).ToList();
        var result = new List<Variant>();
        foreach (var cells in combinations)
        {
            var suffix = string.Concat(cells.Select(c => "." + c.NamePart));
            var overlay = cells.Aggregate(Settings.Empty, (acc, c) => acc.Over(c.Overlay));
            var swept = cells.Select(c => new SweptValue(c.Key, c.Value)).ToList();
            if (seeds is null) result.Add(new Variant(suffix, overlay, swept, null));
            else result.AddRange(seeds.Select(s => new Variant(suffix, overlay with { Seed = s }, swept, s)));
        }
        return result;
    }

    /// <summary>How many variants <see cref="Expand"/> would make (checked before expanding).</summary>
    public static long Count(IReadOnlyList<Axis> axes, IReadOnlyList<int>? seeds) =>
        axes.Aggregate(1L, (n, a) => n * a.Cells.Count) * (seeds?.Count ?? 1);
}
