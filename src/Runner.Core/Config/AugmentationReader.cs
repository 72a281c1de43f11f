using Runner.Core.Util;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>The <c>augmentations</c> section: named lists of steps such as <c>- hflip: { p: 0.5 }</c>.</summary>
internal static class AugmentationReader
{
    public static readonly string[] Kinds = ["hflip", "corner_crop"];

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
                if (ReadAugmentStep(top.Errors, seq.Children[i], $"{path}[{i}]") is { } op) ops.Add(op);
            result[name] = ops;
        }
        return result;
    }

    private static AugmentOp? ReadAugmentStep(YamlErrors errors, YamlNode node, string path)
    {
        if (node is not YamlMappingNode { Children.Count: 1 } step || step.Children.First().Key is not YamlScalarNode { Value: { } kind })
        {
            errors.Add(node, $"{path}: expected one step such as 'hflip: {{ p: 0.5 }}'");
            return null;
        }
        if (!Kinds.Contains(kind))
        {
            errors.Add(step.Children.First().Key, $"{path}: unknown augmentation '{kind}'; known: {string.Join(", ", Kinds)}{Suggest.DidYouMean(kind, Kinds)}");
            return null;
        }
        var args = YamlMap.From(errors, step.Children.First().Value, $"{path}.{kind}", kind == "corner_crop" ? ["p", "size"] : ["p"]);
        if (args is null) return null;
        var p = args.Double("p", 0, 1) ?? 0.5;
        var size = kind == "corner_crop" ? args.Double("size", 0.1, 1) ?? 0.875 : (double?)null;
        return new AugmentOp(kind, p, size);
    }
}
