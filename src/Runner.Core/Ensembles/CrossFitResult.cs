namespace Runner.Core.Ensembles;

/// <summary>What fitting an ensemble on the validation split produced.</summary>
/// <param name="Validation">Validation probabilities: in-sample with no folds, out-of-fold with K folds.</param>
/// <param name="Test">Test probabilities: of the one fit, or the mean over the K fits.</param>
/// <param name="Fits">The fitted combiners (one, or K); the caller disposes them.</param>
internal sealed record CrossFitResult(double[][] Validation, double[][] Test, IReadOnlyList<IFittedEnsemble> Fits)
{
    /// <summary>Member weights averaged over the fits; null when the method has none.</summary>
    public IReadOnlyList<double>? MemberWeights =>
        Fits[0].MemberWeights is null
            ? null
            : Enumerable.Range(0, Fits[0].MemberWeights!.Count).Select(j => Fits.Average(f => f.MemberWeights![j])).ToList();
}
