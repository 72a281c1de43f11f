using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// A module whose multiply–accumulates <see cref="Complexity"/>'s Conv2d and Linear hooks do not see: projections computed
/// with functional calls and attention's two products (scores and weighted values).
/// </summary>
internal interface IFunctionalMacs
{
    /// <summary>
    /// The MACs of one forward pass from <paramref name="input"/> to <paramref name="output"/> that no Conv2d or Linear child counts.
    /// </summary>
    long FunctionalMacs(Tensor input, Tensor output);
}
