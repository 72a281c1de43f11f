using System.Globalization;
using Runner.Core.Util;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>
/// The <c>augmentations</c> section: named lists of steps such as <c>- rotate: { p: 0.3, degrees: 10 }</c>.
/// Every step takes <c>p</c> (default 0.5); a bare <c>- hflip</c> takes all defaults.
/// </summary>
internal static class AugmentationReader
{
    public static Dictionary<string, IReadOnlyList<AugmentOp>> Read(YamlMap top)
    {
        var result = new Dictionary<string, IReadOnlyList<AugmentOp>> { ["none"] = [] };
        if (top.Value("augmentations") is not { } node) return result;
        if (node is not YamlMappingNode map)
        {
            top.Errors.Add(node, "augmentations: expected a mapping of name → list of steps");
            return result;
        }
        foreach (var (keyNode, steps) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || name == "none")
            {
                top.Errors.Add(keyNode, "augmentations: names must be plain words other than 'none' (built in: no augmentation)");
                continue;
            }
            var path = $"augmentations.{name}";
            if (steps is not YamlSequenceNode seq)
            {
                top.Errors.Add(steps, $"{path}: expected a list of steps such as '- hflip: {{ p: 0.5 }}'");
                continue;
            }
            var ops = new List<AugmentOp>();
            for (var i = 0; i < seq.Children.Count; i++)
                if (ReadStep(top.Errors, seq.Children[i], $"{path}[{i}]") is { } op) ops.Add(op);
            result[name] = ops;
        }
        return result;
    }

    /// <summary>One step: <c>kind: { p: …, params }</c>, or a bare <c>kind</c> / <c>kind:</c> for all defaults.</summary>
    private static AugmentOp? ReadStep(YamlErrors errors, YamlNode node, string path)
    {
        var (kindNode, argsNode) = node switch
        {
            YamlScalarNode scalar => (scalar, null),
            YamlMappingNode { Children.Count: 1 } step when step.Children.First().Key is YamlScalarNode key => (key, step.Children.First().Value),
            _ => ((YamlScalarNode?)null, (YamlNode?)null),
        };
        if (kindNode?.Value is not { Length: > 0 } kind)
        {
            errors.Add(node, $"{path}: expected one step such as 'hflip: {{ p: 0.5 }}'");
            return null;
        }
        if (AugmentKinds.ByName(kind) is not { } stepKind)
        {
            var known = AugmentKinds.Names;
            errors.Add(kindNode, $"{path}: unknown augmentation '{kind}'; known: {string.Join(", ", known)}{Suggest.DidYouMean(kind, known)}");
            return null;
        }
        var argsPath = $"{path}.{kind}";
        var args = IsEmpty(argsNode)
            ? new YamlMap(errors, new YamlMappingNode(), argsPath, [])
            : YamlMap.From(errors, argsNode!, argsPath, ["p", .. stepKind.Params.Select(p => p.Name)]);
        if (args is null) return null;
        return stepKind.Create(new StepArgs(args, stepKind, args.Double("p", 0, 1) ?? AugmentOp.DefaultP));
    }

    private static bool IsEmpty(YamlNode? node) =>
        node is null || node is YamlScalarNode { Value: null or "" or "~" or "null", Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) };

    /// <summary>A range written <c>[min, max]</c> (or one number for a fixed value), both ends within [lo, hi] and min ≤ max.</summary>
    internal static Interval? ReadInterval(YamlMap map, string key, double lo, double hi)
    {
        if (map.Value(key) is not { } node) return null;
        var path = map.FieldPath(key);
        List<YamlNode>? items = node switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode { Children.Count: 2 } seq => [.. seq.Children],
            _ => null,
        };
        if (items is null)
        {
            var got = node is YamlSequenceNode s ? $"a list of {s.Children.Count}" : "a mapping";
            map.Errors.Add(node, $"{path}: expected [min, max] (two numbers) or one number, got {got}");
            return null;
        }
        var values = new List<double>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = node is YamlSequenceNode ? $"{path}[{i}]" : path;
            if (items[i] is not YamlScalarNode { Value: { } text } ||
                !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            {
                map.Errors.Add(items[i], $"{itemPath}: expected a number{(items[i] is YamlScalarNode { Value: { } t } ? $", got '{t}'" : "")}");
                return null;
            }
            if (value < lo || value > hi)
            {
                map.Errors.Add(items[i], $"{itemPath}: {text} is out of range [{Format(lo)}, {Format(hi)}]");
                return null;
            }
            values.Add(value);
        }
        var (min, max) = (values[0], values[^1]);
        if (min > max)
        {
            map.Errors.Add(node, $"{path}: min {Format(min)} is greater than max {Format(max)}");
            return null;
        }
        return new Interval(min, max);
    }

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);
}
