namespace Runner.Core.Ensembles;

/// <summary>Fits an ensemble on the validation split only — once, or K-fold within it — and predicts the test split.</summary>
internal static class CrossFit
{
    public static CrossFitResult Run(IEnsembleMethod method, EnsembleSplit validation, EnsembleSplit test, int folds, int seed,
        CancellationToken cancel = default)
    {
        if (folds < 2)
        {
            var fit = method.Fit(validation, seed, cancel);
            return new CrossFitResult(fit.Predict(validation), fit.Predict(test), [fit]);
        }
        var foldOf = Assign(validation.Labels, folds, seed);
        var outOfFold = new double[validation.Count][];
        var testSum = new double[test.Count][];
        var fits = new List<IFittedEnsemble>();
        for (var k = 0; k < folds; k++)
        {
            var train = Enumerable.Range(0, validation.Count).Where(i => foldOf[i] != k).ToList();
            var held = Enumerable.Range(0, validation.Count).Where(i => foldOf[i] == k).ToList();
            var fit = method.Fit(validation.Rows(train), seed + k, cancel);
            fits.Add(fit);
            var predicted = fit.Predict(validation.Rows(held));
            for (var n = 0; n < held.Count; n++) outOfFold[held[n]] = predicted[n];
            var testPredicted = fit.Predict(test);
            for (var i = 0; i < test.Count; i++)
                testSum[i] = testSum[i] is null ? testPredicted[i] : testSum[i].Zip(testPredicted[i], (a, b) => a + b).ToArray();
        }
        return new CrossFitResult(outOfFold, testSum.Select(row => row.Select(v => v / folds).ToArray()).ToArray(), fits);
    }

    /// <summary>Stratified, seeded fold numbers: each class's rows shuffled, then dealt round-robin to the folds.</summary>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        if (labels.Count < folds)
            throw new InvalidOperationException($"folds: {folds} needs at least {folds} validation images, there are {labels.Count}");
        var foldOf = new int[labels.Count];
        var random = new Random(seed);
        var next = 0;
        foreach (var group in labels.Select((label, i) => (label, i)).GroupBy(x => x.label).OrderBy(g => g.Key))
        {
            var rows = group.Select(x => x.i).ToArray();
            random.Shuffle(rows);
            foreach (var row in rows) foldOf[row] = next++ % folds;
        }
        return foldOf;
    }
}
