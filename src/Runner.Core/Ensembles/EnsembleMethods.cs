namespace Runner.Core.Ensembles;

/// <summary>An ensemble method: fitted on some validation rows, it predicts class probabilities for any split.</summary>
public interface IEnsembleMethod
{
    /// <param name="cancel">Observed by methods that iterate (stackers, once per epoch).</param>
    IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default);
}

public interface IFittedEnsemble
{
    double[][] Predict(EnsembleSplit split);

    /// <summary>Per-member weights where the method has them (weighted), else null.</summary>
    IReadOnlyList<double>? MemberWeights => null;

    /// <summary>Writes the fitted parameters (a stacker's weights) to <paramref name="path"/>; false when there is nothing to write.</summary>
    bool Save(string path) => false;
}

/// <summary><c>mean</c>: the average of the members' probabilities; nothing to fit.</summary>
public sealed class MeanEnsemble : IEnsembleMethod, IFittedEnsemble
{
    public IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default) => this;

    public double[][] Predict(EnsembleSplit split) => WeightedEnsemble.Mix(split.Members, Enumerable.Repeat(1.0 / split.Members.Count, split.Members.Count).ToArray());
}
