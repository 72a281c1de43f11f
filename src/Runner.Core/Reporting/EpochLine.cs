using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>One epoch of training: losses, seconds, and the share of them spent waiting for data.</summary>
internal sealed record EpochLine(int Epoch, double? TrainLoss, double? ValLogLoss, double? Seconds, double? DataWaitShare)
{
    public static IReadOnlyList<EpochLine> From(TrainSummary train)
    {
        var count = new[] { train.TrainLoss.Count, train.ValLogLoss.Count, train.EpochSeconds.Count }.Max();
        return Enumerable.Range(0, count).Select(i => new EpochLine(i + 1,
            At(train.TrainLoss, i), At(train.ValLogLoss, i), At(train.EpochSeconds, i),
            At(train.EpochSeconds, i) is > 0 and var s && At(train.DataWaitSeconds, i) is { } w ? w / s : null)).ToList();
    }

    private static double? At(IReadOnlyList<double> values, int i) => i < values.Count ? values[i] : null;
}
