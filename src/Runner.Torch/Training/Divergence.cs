using Runner.Core.Results;

namespace Runner.Torch.Training;

/// <summary>
/// A model diverged when its outputs are not finite, even where its training loss stayed finite: BatchNorm statistics or
/// logits that overflowed make NaN probabilities in eval mode. Such predictions fail the task instead of reaching a report.
/// </summary>
internal static class Divergence
{
    /// <param name="what">Which predictions, for the message ("validation predictions after epoch 3").</param>
    public static void RequireFinite(SplitPredictions predictions, string what)
    {
        var bad = predictions.Probabilities.ToList().FindIndex(row => row.Any(p => !double.IsFinite(p)));
        if (bad >= 0)
            throw new TrainingDivergedException(
                $"training diverged: the {what} hold NaN or infinity (first for {predictions.Ids[bad]}), although the training loss stayed finite " +
                "(BatchNorm statistics or logits overflowed); lower the learning rate or set grad_clip");
    }
}
