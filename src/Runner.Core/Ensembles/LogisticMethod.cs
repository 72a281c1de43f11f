using Runner.Core.Planning.Kinds;

namespace Runner.Core.Ensembles;

/// <summary><c>logistic</c>: logistic regression, an <see cref="MlpStacker"/> without hidden layers.</summary>
internal sealed class LogisticMethod : EnsembleMethod
{
    public override string Name => "logistic";
    public override IReadOnlyCollection<string> Settings => EnsembleSetting.Training;
    public override bool Trains => true;
    public override IEnsembleMethod Create(EnsembleParams parameters) =>
        new MlpStacker([], parameters.Epochs, parameters.Lr, parameters.BatchSize);
}
