using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>The <c>dataset</c> section of an experiment file.</summary>
internal static class DatasetReader
{
    public static readonly string[] Keys = ["kind", "path", "classes", "class_names", "split"];
    public static readonly string[] Kinds = ["folder", "idx"];

    public static DatasetSpec? Read(YamlMap? map)
    {
        if (map is null) return null;
        var kind = map.Require("kind") is null ? null : map.OneOf("kind", Kinds);
        var path = map.Require("path") is null ? null : map.String("path");
        if (path is not null && !Directory.Exists(path))
            map.Errors.Add(map.Value("path")!, $"dataset.path: directory '{path}' does not exist (relative paths are resolved from {Environment.CurrentDirectory})");

        var classes = StringList(map, "classes");
        var classNames = StringList(map, "class_names");
        if (classNames is not null && kind == "folder")
            map.Errors.Add(map.KeyNode("class_names")!, "dataset.class_names: only idx datasets have numeric labels to name; folder names are the classes");

        var split = new SplitSpec(0.1, 0.1, true, 42);
        if (map.Map("split", ["validation", "test", "stratify", "seed"]) is { } s)
        {
            split = new SplitSpec(
                s.Double("validation", 0, 0.9) ?? split.Validation,
                s.Double("test", 0, 0.9) ?? split.Test,
                s.Bool("stratify") ?? split.Stratify,
                s.Int("seed") ?? split.Seed);
            if (split.Validation + split.Test >= 1)
                map.Errors.Add(s.Node, "dataset.split: validation + test must leave something to train on (sum < 1)");
        }
        return kind is null || path is null ? null : new DatasetSpec(kind, path, classes, classNames, split);
    }

    internal static IReadOnlyList<string>? StringList(YamlMap map, string key)
    {
        if (map.Sequence(key) is not { } seq) return null;
        var items = new List<string>();
        foreach (var node in seq.Children)
        {
            if (node is YamlScalarNode { Value: { } v }) items.Add(v);
            else map.Errors.Add(node, $"{map.FieldPath(key)}: expected a list of names");
        }
        if (items.Distinct().Count() != items.Count) map.Errors.Add(seq, $"{map.FieldPath(key)}: names must be unique");
        return items;
    }
}
