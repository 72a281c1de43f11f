using Runner.Core.Planning.Kinds;

namespace Runner.Core.Ensembles;

/// <summary><c>weighted</c>: <see cref="WeightedEnsemble"/>, weights fitted on validation rows (optionally cross-fitted).</summary>
internal sealed class WeightedMethod : EnsembleMethod
{
    public override string Name => "weighted";
    public override IReadOnlyCollection<string> Settings => [EnsembleSetting.Folds];
    public override bool Trains => false;
    public override IEnsembleMethod Create(EnsembleParams parameters) => new WeightedEnsemble();
}
