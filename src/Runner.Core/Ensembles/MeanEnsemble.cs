namespace Runner.Core.Ensembles;

/// <summary><c>mean</c>: the average of the members' probabilities; nothing to fit.</summary>
internal sealed class MeanEnsemble : IEnsembleMethod, IFittedEnsemble
{
    public IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default) => this;

    public double[][] Predict(EnsembleSplit split) => WeightedEnsemble.Mix(split.Members, Enumerable.Repeat(1.0 / split.Members.Count, split.Members.Count).ToArray());
}
