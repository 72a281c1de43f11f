using System.Security.Cryptography;
using System.Text;
using Runner.Core.Config;

namespace Runner.Core.Data;

/// <summary>
/// Assigns splits by ranking items on a seeded hash of their id: the result does not depend on listing
/// order, and adding files moves at most the items at the boundaries.
/// </summary>
public static class Splitter
{
    public static IReadOnlyList<DatasetItem> Assign(IReadOnlyList<DatasetItem> items, SplitSpec split)
    {
        var groups = split.Stratify ? items.GroupBy(i => i.Label).Select(g => g.ToList()) : [items.ToList()];
        var result = new List<DatasetItem>(items.Count);
        foreach (var group in groups)
        {
            var ranked = group.OrderBy(i => Rank(split.Seed, i.Id)).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
            var test = (int)Math.Round(ranked.Count * split.Test, MidpointRounding.AwayFromZero);
            var validation = (int)Math.Round(ranked.Count * split.Validation, MidpointRounding.AwayFromZero);
            for (var i = 0; i < ranked.Count; i++)
                result.Add(ranked[i] with { Split = i < test ? Splits.Test : i < test + validation ? Splits.Validation : Splits.Train });
        }
        return result.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    private static ulong Rank(int seed, string id) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{id}")), 0);
}
