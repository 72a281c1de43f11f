namespace Runner.Core.Ensembles;

internal interface IFittedEnsemble
{
    double[][] Predict(EnsembleSplit split);

    /// <summary>Per-member weights where the method has them (weighted), else null.</summary>
    IReadOnlyList<double>? MemberWeights => null;

    /// <summary>Writes the fitted parameters (a stacker's weights) to <paramref name="path"/>; false when there is nothing to write.</summary>
    bool Save(string path) => false;
}
