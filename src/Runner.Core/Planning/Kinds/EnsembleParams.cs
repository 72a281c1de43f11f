using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>ensemble</c>'s parameters: the group's settings that apply to its method (<see cref="Of"/> resets the others to
/// their defaults, so changing them does not refit).
/// </summary>
public sealed record EnsembleParams(
    string Method, IReadOnlyList<string> Members, string Inputs, IReadOnlyList<int> Hidden, int Epochs, double Lr, int BatchSize, int Folds, int Seed)
{
    public static EnsembleParams Of(EnsembleSpec e)
    {
        var trains = EnsembleSpec.Methods.Trains(e.Method);
        var folds = e.Method != EnsembleSpec.Methods.Mean;
        return new EnsembleParams(e.Method, e.Members, e.Inputs,
            e.Method == EnsembleSpec.Methods.Stacking ? e.Hidden : [],
            trains ? e.Epochs : EnsembleSpec.DefaultEpochs, trains ? e.Lr : EnsembleSpec.DefaultLr, trains ? e.BatchSize : EnsembleSpec.DefaultBatchSize,
            folds ? e.Folds : 0, folds ? e.Seed : 0);
    }
}
