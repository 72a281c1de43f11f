namespace Runner.Core.Ensembles;

/// <summary>The <c>ensembles.NAME</c> keys that only some methods use (<see cref="EnsembleMethod.Settings"/>).</summary>
internal static class EnsembleSetting
{
    public const string Hidden = "hidden";
    public const string Epochs = "epochs";
    public const string Lr = "lr";
    public const string BatchSize = "batch_size";
    /// <summary>Cross-fitting folds; the group's <c>seed</c> is in the key exactly when folds apply.</summary>
    public const string Folds = "folds";

    public static readonly string[] All = [Hidden, Epochs, Lr, BatchSize, Folds];

    /// <summary>What a method that trains by gradient descent (<see cref="EnsembleMethod.Trains"/>) uses.</summary>
    public static readonly string[] Training = [Epochs, Lr, BatchSize, Folds];
}
