using Runner.Core.Planning.Kinds;

namespace Runner.Core.Ensembles;

/// <summary><c>mean</c>: <see cref="MeanEnsemble"/>; nothing to fit, so no settings.</summary>
internal sealed class MeanMethod : EnsembleMethod
{
    public override string Name => "mean";
    public override IReadOnlyCollection<string> Settings => [];
    public override bool Trains => false;
    public override IEnsembleMethod Create(EnsembleParams parameters) => new MeanEnsemble();
}
