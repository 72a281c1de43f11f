namespace Runner.Core.Reporting;

internal static class ParetoFront
{
    /// <summary>
    /// Names of the points no other point beats on both axes: nothing is at least as fast and at least as accurate
    /// (lower log loss) while strictly better on one. Points without a latency or a log loss are never on it.
    /// </summary>
    public static IReadOnlySet<string> Of(IReadOnlyList<TradeOffPoint> points)
    {
        var usable = points.Where(p => double.IsFinite(p.LatencyMs) && double.IsFinite(p.TestLogLoss)).ToList();
        return usable.Where(p => !usable.Any(q => Dominates(q, p))).Select(p => p.Name).ToHashSet();
    }

    private static bool Dominates(TradeOffPoint q, TradeOffPoint p) =>
        q.LatencyMs <= p.LatencyMs && q.TestLogLoss <= p.TestLogLoss && (q.LatencyMs < p.LatencyMs || q.TestLogLoss < p.TestLogLoss);
}
