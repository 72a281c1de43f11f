namespace Runner.Core.Reporting;

internal static class ParetoFront
{
    /// <summary>
    /// Names of the configurations no other beats on both axes — batch-1 latency and test log loss (a repeat group's
    /// mean over its seeds): nothing is at least as fast and at least as accurate while strictly better on one.
    /// Configurations without a latency or a log loss are never on it.
    /// </summary>
    public static IReadOnlySet<string> Of(IReadOnlyList<Configuration> configurations)
    {
        var usable = configurations.Where(c => c.LatencyMs is { IsFinite: true } && c.LogLoss.IsFinite).ToList();
        return usable.Where(c => !usable.Any(q => Dominates(q, c))).Select(c => c.Name).ToHashSet();
    }

    private static bool Dominates(Configuration q, Configuration p)
    {
        var (qx, px, qy, py) = (q.LatencyMs!.Value.Value, p.LatencyMs!.Value.Value, q.LogLoss.Value, p.LogLoss.Value);
        return qx <= px && qy <= py && (qx < px || qy < py);
    }
}
