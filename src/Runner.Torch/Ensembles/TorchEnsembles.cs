using Runner.Core.Config;
using Runner.Core.Ensembles;

namespace Runner.Torch.Ensembles;

/// <summary>The ensemble methods that train: <c>stacking</c> (an MLP with the spec's hidden layers) and <c>logistic</c> (none).</summary>
public static class TorchEnsembles
{
    public static IEnsembleMethod Trained(EnsembleSpec spec) => spec.Method switch
    {
        EnsembleSpec.Methods.Stacking => new MlpStacker(spec.Hidden, spec.Epochs, spec.Lr, spec.BatchSize),
        EnsembleSpec.Methods.Logistic => new MlpStacker([], spec.Epochs, spec.Lr, spec.BatchSize),
        _ => throw new ArgumentException($"ensemble method '{spec.Method}' does not train"),
    };

    public static EnsembleExecutor Executor() => new(Trained);
}
