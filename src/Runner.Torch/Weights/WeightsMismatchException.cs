namespace Runner.Torch.Weights;

/// <summary>A strict import failed: the file's keys or shapes do not match the architecture. <see cref="Exception.Message"/> is the full
/// report.</summary>
internal sealed class WeightsMismatchException(WeightsComparison comparison, string message) : WeightsException(message)
{
    public WeightsComparison Comparison { get; } = comparison;
}
