namespace Runner.Core.Ensembles;

/// <summary>An ensemble method: fitted on some validation rows, it predicts class probabilities for any split.</summary>
internal interface IEnsembleMethod
{
    /// <param name="cancel">Observed by methods that iterate (stackers, once per epoch).</param>
    IFittedEnsemble Fit(EnsembleSplit rows, int seed, CancellationToken cancel = default);
}
