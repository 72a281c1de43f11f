using Runner.Core.Results;

namespace Runner.Core.Ensembles;

/// <summary>
/// One split (validation or test) as an ensemble sees it: per member the predicted class probabilities, and
/// <see cref="Inputs"/>, the rows a trained combiner learns from (the members' logits, probabilities or features side by side).
/// </summary>
internal sealed record EnsembleSplit(IReadOnlyList<string> Ids, IReadOnlyList<int> Labels, IReadOnlyList<double[][]> Members, double[][] Inputs)
{
    public int Count => Ids.Count;
    public int Classes => Members[0].Length == 0 ? 0 : Members[0][0].Length;

    public EnsembleSplit Rows(IReadOnlyList<int> rows) => new(
        rows.Select(r => Ids[r]).ToList(),
        rows.Select(r => Labels[r]).ToList(),
        Members.Select(m => rows.Select(r => m[r]).ToArray()).ToList(),
        rows.Select(r => Inputs[r]).ToArray());

    public SplitPredictions Predictions(double[][] probabilities) => new(Ids, Labels, probabilities);

    /// <summary>
    /// The members' predictions of one split, checked to cover the same images in the same order with the same labels
    /// (members share the dataset and its split), with <paramref name="inputs"/> built from them (see <see cref="InputRows"/>).
    /// </summary>
    public static EnsembleSplit From(string split, IReadOnlyList<(string Member, SplitPredictions Predictions)> members, string inputs,
        IReadOnlyList<double[][]>? features = null)
    {
        var (firstName, first) = members[0];
        foreach (var (name, p) in members.Skip(1))
            if (!p.Ids.SequenceEqual(first.Ids) || !p.Labels.SequenceEqual(first.Labels))
                throw new InvalidDataException(
                    $"{split} predictions of '{name}' and '{firstName}' cover different images or labels; ensemble members must share the dataset and split");
        var probabilities = members.Select(m => m.Predictions.Probabilities.ToArray()).ToList();
        return new EnsembleSplit(first.Ids, first.Labels, probabilities, InputRows(inputs, probabilities, features));
    }

    /// <summary>
    /// <c>probabilities</c>: the members' rows side by side. <c>logits</c>: each member's centred log-probabilities,
    /// log p − mean(log p) — exactly its logits centred per row (softmax is shift-invariant), recovered from the
    /// saved probabilities (clipped to [1e-15, 1]). <c>features</c>: the given per-member feature rows side by side.
    /// </summary>
    public static double[][] InputRows(string inputs, IReadOnlyList<double[][]> probabilities, IReadOnlyList<double[][]>? features = null)
    {
        var perMember = inputs switch
        {
            "probabilities" => probabilities,
            "logits" => probabilities.Select(m => m.Select(CentredLogits).ToArray()).ToList(),
            "features" => features ?? throw new ArgumentException("inputs: features needs the members' features"),
            _ => throw new ArgumentException($"unknown ensemble inputs '{inputs}'"),
        };
        var rows = perMember[0].Length;
        return Enumerable.Range(0, rows).Select(r => perMember.SelectMany(m => m[r]).ToArray()).ToArray();
    }

    private static double[] CentredLogits(double[] probabilities)
    {
        var logs = probabilities.Select(p => Math.Log(Math.Max(p, 1e-15))).ToArray();
        var mean = logs.Average();
        return logs.Select(l => l - mean).ToArray();
    }
}
