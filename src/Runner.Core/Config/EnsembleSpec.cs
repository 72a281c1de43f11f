namespace Runner.Core.Config;

/// <summary>
/// One <c>ensembles.&lt;name&gt;</c> group: frozen members (backbones) combined by <see cref="Method"/> (one of <see cref="Ensembles.EnsembleMethods"/>), fitted on the
/// validation split only (optionally K-fold within it) and evaluated on the test split.
/// </summary>
/// <param name="Inputs">What the method combines: <c>logits</c>, <c>probabilities</c> or <c>features</c> (pooled penultimate features).</param>
/// <param name="Hidden">Hidden layer sizes of a <c>stacking</c> MLP; empty for the other methods.</param>
/// <param name="Epochs">Training epochs of a <c>stacking</c> / <c>logistic</c> fit (Adam, <see cref="Lr"/>, batches of <see cref="BatchSize"/>).</param>
/// <param name="Folds">0: fit once on the whole validation split; K ≥ 2: K fits on K − 1 folds each, out-of-fold validation
/// predictions, test predictions averaged over the K fits.</param>
public sealed record EnsembleSpec(
    string Name,
    string Method,
    IReadOnlyList<string> Members,
    string Inputs,
    IReadOnlyList<int> Hidden,
    int Epochs,
    double Lr,
    int BatchSize,
    int Folds,
    int Seed)
{
    public static class InputKinds
    {
        public const string Logits = "logits";
        public const string Probabilities = "probabilities";
        public const string Features = "features";
        public static readonly string[] All = [Logits, Probabilities, Features];
    }

    public static readonly IReadOnlyList<int> DefaultHidden = [32, 8];
    public const int DefaultEpochs = 100;
    public const double DefaultLr = 1e-3;
    public const int DefaultBatchSize = 32;
}
