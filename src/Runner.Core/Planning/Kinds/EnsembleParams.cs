using Runner.Core.Config;
using Runner.Core.Ensembles;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>ensemble</c>'s parameters: the group's settings that apply to its method (<see cref="Of"/> asks <see cref="EnsembleMethods"/> and resets the others to
/// their defaults, so changing them does not refit).
/// </summary>
internal sealed record EnsembleParams(
    string Method, IReadOnlyList<string> Members, string Inputs, IReadOnlyList<int> Hidden, int Epochs, double Lr, int BatchSize, int Folds, int Seed)
{
    public static EnsembleParams Of(EnsembleSpec e)
    {
        var method = EnsembleMethods.ByName(e.Method);
        var trains = method.Uses(EnsembleSetting.Epochs);
        var folds = method.Uses(EnsembleSetting.Folds);
        return new EnsembleParams(e.Method, e.Members, e.Inputs,
            method.Uses(EnsembleSetting.Hidden) ? e.Hidden : [],
            trains ? e.Epochs : EnsembleSpec.DefaultEpochs,
            method.Uses(EnsembleSetting.Lr) ? e.Lr : EnsembleSpec.DefaultLr,
            method.Uses(EnsembleSetting.BatchSize) ? e.BatchSize : EnsembleSpec.DefaultBatchSize,
            folds ? e.Folds : 0, folds ? e.Seed : 0);
    }
}
