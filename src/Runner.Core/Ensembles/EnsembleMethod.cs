using Runner.Core.Planning.Kinds;

namespace Runner.Core.Ensembles;

/// <summary>
/// One ensemble method, everything about it in one place: its name in YAML, the settings that apply to it (the others are
/// rejected in the experiment file and left out of the task key), whether it trains, and how it fits. Listed in
/// <see cref="EnsembleMethods.All"/>.
/// </summary>
internal abstract class EnsembleMethod
{
    /// <summary>The <c>method:</c> value.</summary>
    public abstract string Name { get; }

    /// <summary>Which of <see cref="EnsembleSetting.All"/> this method uses.</summary>
    public abstract IReadOnlyCollection<string> Settings { get; }

    /// <summary>
    /// True for a model fitted by gradient descent over any <c>inputs</c> (default logits); false for a mixture of the
    /// members' probabilities (<c>inputs: probabilities</c> only).
    /// </summary>
    public abstract bool Trains { get; }

    public bool Uses(string setting) => Settings.Contains(setting);

    /// <summary>The fitter for one ensemble task's parameters.</summary>
    public abstract IEnsembleMethod Create(EnsembleParams parameters);
}
