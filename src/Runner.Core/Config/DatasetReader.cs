using Runner.Core.Util;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>The <c>dataset</c> section of an experiment file.</summary>
internal static class DatasetReader
{
    public static readonly string[] Keys = ["kind", "path", "classes", "class_names", "labels", "predict", "on_bad_image", "split", "allow_outside_paths"];
    public static readonly string[] Kinds = DatasetKinds.All;
    public static readonly string[] SplitKeys = ["validation", "test", "stratify", "seed"];

    public static DatasetSpec? Read(YamlMap? map, bool checkPaths)
    {
        if (map is null) return null;
        var kind = map.Require("kind") is null ? null : map.OneOf("kind", Kinds);
        var path = map.Require("path") is null ? null : map.String("path") is { } written ? RunnerHome.ResolveData(written) : null;
        var where = $"(relative paths are looked up in {Environment.CurrentDirectory}, then in {RunnerHome.DataRoot()} (${RunnerHome.DataVariable}, else ${RunnerHome.Variable}))";
        if (checkPaths && path is not null && kind is not null)
        {
            if (kind == DatasetKinds.Csv && !File.Exists(path))
                map.Errors.Add(map.Value("path")!, Directory.Exists(path)
                    ? $"dataset.path: '{path}' is a directory; a csv dataset's path is the CSV file (with 'path' and 'label' columns)"
                    : $"dataset.path: CSV file '{path}' does not exist {where}");
            else if (kind != DatasetKinds.Csv && !Directory.Exists(path))
                map.Errors.Add(map.Value("path")!, File.Exists(path)
                    ? $"dataset.path: '{path}' is a file; a {kind} dataset's path is a folder{(path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? " (for a CSV manifest use kind: csv)" : "")}"
                    : $"dataset.path: directory '{path}' does not exist {where}");
        }

        var classes = StringList(map, "classes");
        var classNames = StringList(map, "class_names");
        if (classNames is not null && kind is not null && kind != DatasetKinds.Idx)
            map.Errors.Add(map.KeyNode("class_names")!, kind == DatasetKinds.Folder
                ? "dataset.class_names: only idx datasets have numeric labels to name; folder names are the classes"
                : $"dataset.class_names: only idx datasets have numeric labels to name; a {kind} dataset's labels are already names");

        var labels = ReadLabels(map);
        if (kind == DatasetKinds.FilenamePattern && labels is null && !map.Has("labels"))
            map.Errors.Add(map.Node, "missing required key 'dataset.labels' (for filename-pattern: one regex per class, e.g. labels: { dog: \"^dog\\\\.\", cat: \"^cat\\\\.\" })");
        if (labels is not null && kind is not null && kind != DatasetKinds.FilenamePattern)
            map.Errors.Add(map.KeyNode("labels")!, $"dataset.labels: only filename-pattern datasets take label patterns; a {kind} dataset's labels come from {(kind == DatasetKinds.Csv ? "the CSV's 'label' column" : kind == DatasetKinds.Folder ? "its sub-folder names" : "its labels file")}");
        if (labels is not null && classes is not null)
            foreach (var unknown in classes.Except(labels.Select(l => l.Class)))
                map.Errors.Add(map.Value("classes")!, $"dataset.classes: '{unknown}' has no pattern in dataset.labels{Suggest.DidYouMean(unknown, labels.Select(l => l.Class))}");

        var predict = map.String("predict") is { } writtenPredict ? RunnerHome.ResolveData(writtenPredict) : null;
        if (checkPaths && predict is not null && !Directory.Exists(predict))
            map.Errors.Add(map.Value("predict")!, File.Exists(predict)
                ? $"dataset.predict: '{predict}' is a file; give the folder of unlabeled images"
                : $"dataset.predict: directory '{predict}' does not exist {where}");
        var onBadImage = map.OneOf("on_bad_image", BadImagePolicy.All);
        var allowOutside = map.Bool("allow_outside_paths");
        if (allowOutside is not null && kind is not null && kind != DatasetKinds.Csv)
            map.Errors.Add(map.KeyNode("allow_outside_paths")!, "dataset.allow_outside_paths: only csv datasets list paths that could lie outside their folder");

        var split = new SplitSpec(0.1, 0.1, true, 42);
        if (map.Map("split", SplitKeys) is { } s)
        {
            split = new SplitSpec(
                s.Double("validation", 0, 0.9) ?? split.Validation,
                s.Double("test", 0, 0.9) ?? split.Test,
                s.Bool("stratify") ?? split.Stratify,
                s.Int("seed") ?? split.Seed);
            if (split.Validation + split.Test >= 1)
                map.Errors.Add(s.Node, "dataset.split: validation + test must leave something to train on (sum < 1)");
        }
        return kind is null || path is null
            ? null
            : new DatasetSpec(kind, path, classes, classNames, split)
            {
                Labels = kind == DatasetKinds.FilenamePattern ? labels : null,
                Predict = predict,
                OnBadImage = onBadImage ?? BadImagePolicy.Fail,
                AllowOutsidePaths = allowOutside ?? false,
            };
    }

    /// <summary><c>labels: { CLASS: REGEX, … }</c> in the order written; every regex must compile.</summary>
    private static IReadOnlyList<LabelPattern>? ReadLabels(YamlMap map)
    {
        if (map.Value("labels") is not { } node) return null;
        if (node is not YamlMappingNode mapping)
        {
            map.Errors.Add(node, "dataset.labels: expected a mapping of class name to file-name regex, e.g. { dog: \"^dog\\\\.\", cat: \"^cat\\\\.\" }");
            return null;
        }
        var result = new List<LabelPattern>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                map.Errors.Add(keyNode, "dataset.labels: class names must be plain names");
                continue;
            }
            if (result.Any(l => l.Class == name))
            {
                map.Errors.Add(keyNode, $"dataset.labels: class '{name}' is listed twice");
                continue;
            }
            if (valueNode is not YamlScalarNode { Value: { Length: > 0 } pattern })
            {
                map.Errors.Add(valueNode, $"dataset.labels.{name}: expected a regular expression for file names");
                continue;
            }
            var label = new LabelPattern(name, pattern);
            try
            {
                _ = label.ToRegex();
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                map.Errors.Add(valueNode, $"dataset.labels.{name}: '{pattern}' is not a usable regular expression: {e.Message} " +
                    "(label patterns run on .NET's non-backtracking engine, which has no backreferences, lookarounds or atomic groups)");
                continue;
            }
            result.Add(label);
        }
        if (mapping.Children.Count == 0)
            map.Errors.Add(node, "dataset.labels: give at least one class pattern");
        return result;
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
