using Runner.Core.Ensembles;
using Runner.Core.Evaluation;

namespace Runner.Tests.Core.Ensembles;

/// <summary>mean and weighted (pure math), inputs built from member predictions, and K-fold fitting within the validation split.</summary>
public sealed class EnsembleMethodTests
{
    [Fact]
    public void Mean_of_identical_members_equals_the_member()
    {
        var labels = Synthetic.Labels(200, seed: 1, classes: 3);
        var member = Synthetic.RandomMember(200, 3, new Random(2));

        var mean = new MeanEnsemble().Fit(Synthetic.Split(labels, "probabilities", member, member, member), 0)
            .Predict(Synthetic.Split(labels, "probabilities", member, member, member));

        Assert.Equal(member.SelectMany(r => r), mean.SelectMany(r => r), (x, y) => Math.Abs(x - y) <= 1e-15);
        Assert.Equal(Metrics.LogLoss(member, labels), Metrics.LogLoss(mean, labels), 12);
    }

    [Fact]
    public void Weighted_is_never_worse_than_the_best_member_on_the_data_it_was_fitted_on()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 25; trial++)
        {
            var classes = 2 + trial % 3;
            var rows = 20 + random.Next(200);
            var labels = Synthetic.Labels(rows, trial, classes);
            var members = Enumerable.Range(0, 2 + trial % 4).Select(_ => Synthetic.RandomMember(rows, classes, random)).ToArray();
            if (trial % 5 == 0) members[0] = members[^1]; // identical members too

            var weights = WeightedEnsemble.FitWeights(members, labels);

            Assert.True(weights.All(w => w >= 0), $"trial {trial}: negative weight");
            Assert.Equal(1, weights.Sum(), 9);
            var mixed = Metrics.LogLoss(WeightedEnsemble.Mix(members, weights), labels);
            Assert.True(mixed <= members.Min(m => Metrics.LogLoss(m, labels)), $"trial {trial}: {mixed} worse than the best member");
        }
    }

    [Fact]
    public void Weighted_mixes_members_that_err_independently_and_ignores_a_useless_one()
    {
        var labels = Synthetic.Labels(600, seed: 4);
        var a = Synthetic.NoisyMember(labels, 1.5, 1.5, seed: 5);
        var b = Synthetic.NoisyMember(labels, 1.5, 1.5, seed: 6);
        var useless = Synthetic.NoisyMember(labels, 0, 3, seed: 7);

        var weights = WeightedEnsemble.FitWeights([a, b, useless], labels);

        Assert.InRange(weights[0], 0.3, 0.7);
        Assert.InRange(weights[1], 0.3, 0.7);
        Assert.True(weights[2] < 0.02, $"useless member got weight {weights[2]}");
        Assert.True(Metrics.LogLoss(WeightedEnsemble.Mix([a, b, useless], weights), labels) < Math.Min(Metrics.LogLoss(a, labels), Metrics.LogLoss(b, labels)) - 0.01);
    }

    [Fact]
    public void Logit_inputs_are_the_members_centred_log_probabilities_side_by_side()
    {
        var rows = EnsembleSplit.InputRows("logits", [[[0.2, 0.8]], [[0.5, 0.5]]]);

        var half = Math.Log(4) / 2; // log 0.8 − log 0.2 = log 4, centred
        Assert.Equal([-half, half, 0, 0], rows[0], (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal([0.2, 0.8, 0.5, 0.5], EnsembleSplit.InputRows("probabilities", [[[0.2, 0.8]], [[0.5, 0.5]]])[0]);
    }

    [Fact]
    public void Members_with_different_images_are_refused()
    {
        var labels = new[] { 0, 1 };
        var p = new[] { new[] { 0.5, 0.5 }, new[] { 0.5, 0.5 } };
        var e = Assert.Throws<InvalidDataException>(() => EnsembleSplit.From("test",
            [("a", new(["x", "y"], labels, p)), ("b", new(["x", "z"], labels, p))], "probabilities"));
        Assert.Contains("test predictions of 'b' and 'a' cover different images", e.Message);
    }

    /// <summary>Predicts [1, 0] for images it was fitted on and [0, 1] for the others.</summary>
    private sealed class Memorizer : IEnsembleMethod
    {
        public IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default) => new Fitted(rows.Ids.ToHashSet());

        private sealed class Fitted(HashSet<string> seen) : IFittedEnsemble
        {
            public double[][] Predict(EnsembleSplit split) => split.Ids.Select(id => seen.Contains(id) ? new[] { 1.0, 0 } : [0, 1.0]).ToArray();
        }
    }

    [Fact]
    public void With_folds_every_validation_prediction_comes_from_a_fit_that_did_not_see_the_image()
    {
        var labels = Synthetic.Labels(50, seed: 8);
        var member = Synthetic.NoisyMember(labels, 1, 1, seed: 9);
        var validation = Synthetic.Split(labels, "probabilities", member, member);

        var folded = CrossFit.Run(new Memorizer(), validation, validation, folds: 5, seed: 1);
        var single = CrossFit.Run(new Memorizer(), validation, validation, folds: 0, seed: 1);

        Assert.Equal(5, folded.Fits.Count);
        Assert.All(folded.Validation, row => Assert.Equal([0, 1.0], row));
        Assert.All(single.Validation, row => Assert.Equal([1.0, 0], row)); // in-sample without folds
        Assert.All(folded.Test, row => Assert.Equal([0.8, 0.2], row, (x, y) => Math.Abs(x - y) < 1e-12)); // each image seen by 4 of 5 fits
    }

    [Fact]
    public void Folds_are_stratified_balanced_and_seeded()
    {
        var labels = Synthetic.Labels(103, seed: 10);
        var folds = CrossFit.Assign(labels, 4, seed: 3);

        Assert.Equal(folds, CrossFit.Assign(labels, 4, seed: 3));
        Assert.NotEqual(folds, CrossFit.Assign(labels, 4, seed: 4));
        for (var label = 0; label < 2; label++)
        {
            var sizes = Enumerable.Range(0, 4).Select(k => folds.Where((f, i) => f == k && labels[i] == label).Count()).ToList();
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"class {label}: fold sizes {string.Join(", ", sizes)}");
        }
    }
}
