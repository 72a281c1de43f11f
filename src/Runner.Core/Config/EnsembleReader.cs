using Runner.Core.Util;
using YamlDotNet.RepresentationModel;
using Runner.Core.Ensembles;
using InputKinds = Runner.Core.Config.EnsembleSpec.InputKinds;

namespace Runner.Core.Config;

/// <summary>
/// The <c>ensembles</c> section: <c>name: { members: [a, b], method: stacking, hidden: [32, 8], inputs: logits, … }</c>.
/// Members must be backbones of this experiment (an ensemble of ensembles is not supported), at least two, each once.
/// A member names one variant: naming an entry that <c>matrix</c> or <c>repeats</c> expanded is an error listing its variants
/// (an ensemble of three seeds of one model is a different question from one of three models, so runner does not guess).
/// </summary>
internal static class EnsembleReader
{
    public static readonly string[] Keys = ["members", "method", "inputs", "hidden", "epochs", "lr", "batch_size", "folds", "seed"];

    public static List<EnsembleSpec> Read(YamlMap top, IReadOnlyCollection<string> backbones, IReadOnlyDictionary<string, IReadOnlyList<string>>? expanded = null)
    {
        expanded ??= new Dictionary<string, IReadOnlyList<string>>();
        var result = new List<EnsembleSpec>();
        if (top.Value("ensembles") is not { } node) return result;
        if (node is not YamlMappingNode map)
        {
            top.Errors.Add(node, "ensembles: expected a mapping of name → { members: [...], method: ... }");
            return result;
        }
        var names = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToHashSet();
        foreach (var (keyNode, value) in map.Children)
        {
            if ((keyNode as YamlScalarNode)?.Value is not { } name)
            {
                top.Errors.Add(keyNode, "ensembles: names must be plain names");
                continue;
            }
            if (ExperimentLoader.NameProblem(name, "ensembles") is { } problem)
            {
                top.Errors.Add(keyNode, problem);
                continue;
            }
            if (YamlMap.From(top.Errors, value, $"ensembles.{name}", Keys) is { } ensemble &&
                ReadOne(ensemble, name, backbones, names, expanded) is { } spec)
                result.Add(spec);
        }
        return result;
    }

    private static EnsembleSpec? ReadOne(YamlMap map, string name, IReadOnlyCollection<string> backbones, IReadOnlySet<string> ensembles,
        IReadOnlyDictionary<string, IReadOnlyList<string>> expanded)
    {
        var errorsBefore = map.Errors.Items.Count;
        var members = ReadMembers(map, backbones, ensembles, expanded);
        var method = map.OneOf("method", EnsembleMethods.Names) is { } named ? EnsembleMethods.ByName(named)
            : map.Has("method") ? null : EnsembleMethods.Default;
        if (method is null || members is null) return null;

        var inputs = map.OneOf("inputs", InputKinds.All) ?? (method.Trains ? InputKinds.Logits : InputKinds.Probabilities);
        if (!method.Trains && inputs != InputKinds.Probabilities)
            map.Errors.Add(map.Value("inputs")!, $"{map.FieldPath("inputs")}: method '{method.Name}' combines member probabilities; " +
                $"'{inputs}' needs {EnsembleMethods.Describe(m => m.Trains)}");
        foreach (var setting in EnsembleSetting.All.Where(s => !method.Uses(s)))
            NotFor(map, setting, method.Name, $"only {EnsembleMethods.Describe(m => m.Uses(setting))} use it");

        var folds = map.Int("folds", 0, 100) ?? 0;
        if (folds == 1) map.Errors.Add(map.Value("folds")!, $"{map.FieldPath("folds")}: use 0 (fit on the whole validation split) or K ≥ 2");
        var spec = new EnsembleSpec(
            name, method.Name, members, inputs,
            method.Uses(EnsembleSetting.Hidden) ? map.IntList("hidden", 1) ?? EnsembleSpec.DefaultHidden : [],
            map.Int("epochs", 1, 100_000) ?? EnsembleSpec.DefaultEpochs,
            map.Double("lr", 1e-8, 10) ?? EnsembleSpec.DefaultLr,
            map.Int("batch_size", 1, 1 << 20) ?? EnsembleSpec.DefaultBatchSize,
            folds,
            map.Int("seed") ?? 42);
        return map.Errors.Items.Count == errorsBefore ? spec : null;
    }

    private static void NotFor(YamlMap map, string key, string method, string why)
    {
        if (map.KeyNode(key) is { } keyNode)
            map.Errors.Add(keyNode, $"{map.FieldPath(key)}: does not apply to method '{method}' ({why})");
    }

    private static List<string>? ReadMembers(YamlMap map, IReadOnlyCollection<string> backbones, IReadOnlySet<string> ensembles,
        IReadOnlyDictionary<string, IReadOnlyList<string>> expanded)
    {
        if (map.Require("members") is null || map.Sequence("members") is not { } seq) return null;
        var members = new List<string>();
        var ok = true;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var node = seq.Children[i];
            var path = $"{map.FieldPath("members")}[{i}]";
            if (node is not YamlScalarNode { Value: { } member })
            {
                map.Errors.Add(node, $"{path}: expected a backbone name");
                ok = false;
            }
            else if (!backbones.Contains(member))
            {
                map.Errors.Add(node, expanded.TryGetValue(member, out var variants)
                    ? $"{path}: '{member}' was expanded by matrix/repeats; name one of its variants: {string.Join(", ", variants)}"
                    : ensembles.Contains(member)
                    ? $"{path}: '{member}' is an ensemble; members must be backbones (list its members instead)"
                    : $"{path}: no backbone named '{member}'{Suggest.DidYouMean(member, backbones)}; backbones: {string.Join(", ", backbones)}");
                ok = false;
            }
            else if (members.Contains(member))
            {
                map.Errors.Add(node, $"{path}: '{member}' is listed twice");
                ok = false;
            }
            else members.Add(member);
        }
        if (ok && members.Count < 2)
            map.Errors.Add(seq, $"{map.FieldPath("members")}: an ensemble needs at least two members, got {members.Count}");
        return ok && members.Count >= 2 ? members : null;
    }
}
