using System.Globalization;
using System.Text;

namespace Runner.Torch.Weights;

/// <summary>
/// How a file's state_dict compares with an architecture's, key by key. <see cref="Tolerated"/> lists model keys
/// absent from the file that a strict import still accepts (<c>num_batches_tracked</c> buffers of legacy files, and the
/// head when the file has none).
/// </summary>
internal sealed record WeightsComparison(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> WrongShape,
    IReadOnlyList<string> Tolerated)
{
    public bool Matches => Missing.Count == 0 && Unexpected.Count == 0 && WrongShape.Count == 0;

    /// <summary>A multi-line report: each kind of difference with its count and its first <paramref name="max"/> keys.</summary>
    public string Describe(int max = 10)
    {
        var text = new StringBuilder();
        Section(text, $"missing: {Missing.Count} key(s) the architecture has and the file lacks", Missing, max);
        Section(text, $"unexpected: {Unexpected.Count} key(s) in the file the architecture does not have", Unexpected, max);
        Section(text, $"wrong shape: {WrongShape.Count} key(s)", WrongShape.Select(w => w.ToString()).ToList(), max);
        return text.ToString().TrimEnd('\n');
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<string> keys, int max)
    {
        if (keys.Count == 0) return;
        text.Append("  ").Append(title).Append('\n');
        foreach (var key in keys.Take(max)) text.Append("    ").Append(key).Append('\n');
        if (keys.Count > max) text.Append(CultureInfo.InvariantCulture, $"    … and {keys.Count - max} more\n");
    }
}
