using YamlDotNet.RepresentationModel;

namespace Runner.Core.Config;

/// <summary>
/// <c>repeats: { seeds: [1, 2, 3] }</c> in <c>defaults</c> or one backbone (the backbone's replaces the defaults'; <c>repeats: null</c>
/// switches it off): one variant per seed, each trained and evaluated, with a t-interval over the seeds in the report.
/// </summary>
internal static class RepeatsReader
{
    public static readonly string[] Keys = ["seeds"];
    public const int MaxSeeds = 100;

    /// <summary>What a map says about repeats: not set, switched off (null seeds), or the seeds.</summary>
    public readonly record struct Repeats(bool IsSet, IReadOnlyList<int>? Seeds)
    {
        public Repeats Over(Repeats fallback) => IsSet ? this : fallback;
    }

    public static Repeats Read(YamlMap owner)
    {
        if (owner.Value("repeats") is not { } node) return default;
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" or "Null" or "NULL" }) return new Repeats(true, null);
        if (owner.Map("repeats", Keys) is not { } map) return new Repeats(true, null);
        if (map.Require("seeds") is null || map.Sequence("seeds") is not { } list) return new Repeats(true, null);
        var path = map.FieldPath("seeds");
        if (list.Children.Count is < 2 or > MaxSeeds)
        {
            owner.Errors.Add(list, $"{path}: list 2 to {MaxSeeds} seeds (an interval needs at least two), got {list.Children.Count}");
            return new Repeats(true, null);
        }
        var seeds = new List<int>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            if (item is not YamlScalarNode { Value: { } text } || !int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seed) || seed < 0)
                owner.Errors.Add(item, $"{path}[{i}]: a seed is a whole number ≥ 0, got '{(item as YamlScalarNode)?.Value ?? "a list or mapping"}'");
            else if (seeds.Contains(seed))
                owner.Errors.Add(item, $"{path}[{i}]: seed {seed} is listed twice");
            else seeds.Add(seed);
        }
        return new Repeats(true, seeds.Count == list.Children.Count ? seeds : null);
    }
}
