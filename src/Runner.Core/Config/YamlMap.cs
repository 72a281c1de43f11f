using System.Globalization;
using Runner.Core.Util;
using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>
/// A typed view of one YAML mapping: rejects unknown keys (with a suggestion) and reports
/// wrong types at the value's position. Every accessor returns null after reporting an error.
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public YamlErrors Errors { get; }
    public string Path { get; }
    public YamlNode Node { get; }

    public YamlMap(YamlErrors errors, YamlMappingNode node, string path, IReadOnlyCollection<string> allowedKeys)
    {
        Errors = errors;
        Node = node;
        Path = path;
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                errors.Add(keyNode, $"{Where}keys must be plain names");
                continue;
            }
            if (!allowedKeys.Contains(key))
                errors.Add(keyNode, $"unknown key '{key}' in {PathOrTop}{Suggest.DidYouMean(key, allowedKeys)}");
            else if (!_entries.TryAdd(key, (scalarKey, value)))
                errors.Add(keyNode, $"duplicate key '{key}' in {PathOrTop}");
        }
    }

    public static YamlMap? From(YamlErrors errors, YamlNode node, string path, IReadOnlyCollection<string> allowedKeys)
    {
        if (node is YamlMappingNode map) return new YamlMap(errors, map, path, allowedKeys);
        errors.Add(node, $"{(path.Length == 0 ? "the top level" : path)}: expected a mapping");
        return null;
    }

    private string PathOrTop => Path.Length == 0 ? "the top level" : $"'{Path}'";
    private string Where => Path.Length == 0 ? "" : Path + ": ";
    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _entries.ContainsKey(key);
    public IEnumerable<string> Keys => _entries.Keys;
    public YamlNode? Value(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;
    public YamlScalarNode? KeyNode(string key) => _entries.TryGetValue(key, out var e) ? e.Key : null;

    public YamlNode? Require(string key)
    {
        var value = Value(key);
        if (value is null) Errors.Add(Node, $"missing required key '{FieldPath(key)}'");
        return value;
    }

    public string? String(string key) => Value(key) is { } node ? ScalarText(node, key) : null;

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue) =>
        Value(key) is { } node ? AsInt(node, FieldPath(key), min, max) : null;

    public double? Double(string key, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Value(key) is not { } node || ScalarText(node, key) is not { } text) return null;
        // "NaN" parses, and no comparison with it is ever true: it would pass every range check.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
        {
            Errors.Add(node, $"{FieldPath(key)}: expected a number, got '{text}'");
            return null;
        }
        if (value < min || value > max)
        {
            Errors.Add(node, $"{FieldPath(key)}: {text} is out of range [{Format(min)}, {Format(max)}]");
            return null;
        }
        return value;
    }

    public bool? Bool(string key)
    {
        if (Value(key) is not { } node || ScalarText(node, key) is not { } text) return null;
        switch (text)
        {
            case "true" or "True" or "yes": return true;
            case "false" or "False" or "no": return false;
            default:
                Errors.Add(node, $"{FieldPath(key)}: expected true or false, got '{text}'");
                return null;
        }
    }

    public string? OneOf(string key, IReadOnlyCollection<string> allowed)
    {
        var text = String(key);
        if (text is null || allowed.Contains(text)) return text;
        Errors.Add(Value(key)!, $"{FieldPath(key)}: '{text}' is not one of {string.Join(", ", allowed)}{Suggest.DidYouMean(text, allowed)}");
        return null;
    }

    public YamlMap? Map(string key, IReadOnlyCollection<string> allowedKeys) =>
        Value(key) is { } node ? From(Errors, node, FieldPath(key), allowedKeys) : null;

    public YamlSequenceNode? Sequence(string key)
    {
        if (Value(key) is not { } node) return null;
        if (node is YamlSequenceNode seq) return seq;
        Errors.Add(node, $"{FieldPath(key)}: expected a list");
        return null;
    }

    public IReadOnlyList<int>? IntList(string key, int min)
    {
        if (Sequence(key) is not { } seq) return null;
        var values = seq.Children.Select((n, i) => AsInt(n, $"{FieldPath(key)}[{i}]", min, int.MaxValue)).ToList();
        return values.All(v => v is not null) ? values.Select(v => v!.Value).ToList() : null;
    }

    private string? ScalarText(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } text }) return text;
        Errors.Add(node, $"{FieldPath(key)}: expected a single value, got a {(node is YamlSequenceNode ? "list" : "mapping")}");
        return null;
    }

    private int? AsInt(YamlNode node, string path, int min, int max)
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            Errors.Add(node, $"{path}: expected an integer");
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Errors.Add(node, $"{path}: expected an integer, got '{text}'");
            return null;
        }
        if (value < min || value > max)
        {
            Errors.Add(node, $"{path}: {value} is out of range [{Format(min)}, {Format(max)}]");
            return null;
        }
        return value;
    }

    private static string Format(double v) => v switch
    {
        double.MinValue or int.MinValue => "-inf",
        double.MaxValue or int.MaxValue => "inf",
        _ => v.ToString(CultureInfo.InvariantCulture),
    };
}
