using Runner.Core.Planning.Kinds;

namespace Runner.Core.Ensembles;

/// <summary><c>stacking</c>: an <see cref="MlpStacker"/> with <c>hidden</c> layers (the default method).</summary>
internal sealed class StackingMethod : EnsembleMethod
{
    public override string Name => "stacking";
    public override IReadOnlyCollection<string> Settings => [EnsembleSetting.Hidden, .. EnsembleSetting.Training];
    public override bool Trains => true;
    public override IEnsembleMethod Create(EnsembleParams parameters) =>
        new MlpStacker(parameters.Hidden, parameters.Epochs, parameters.Lr, parameters.BatchSize);
}
