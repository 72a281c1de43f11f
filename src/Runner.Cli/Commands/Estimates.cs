using System.CommandLine;
using Runner.Core.Config;
using Runner.Core.Estimation;
using Runner.Core.Execution;
using Runner.Core.Planning;
using Runner.Torch;

namespace Runner.Cli.Commands;

/// <summary><c>--estimate</c> and <c>--budget</c>: task times predicted from this machine's throughput probes, before anything runs.</summary>
internal static class Estimates
{
    public static readonly Option<bool> Estimate = new("--estimate")
    {
        Description = "Predict each task's time and peak memory from a short throughput probe per architecture (measured once per machine)",
    };

    public static readonly Option<string?> BudgetOption = new("--budget")
    {
        Description = "Warn before running when the estimated total exceeds this duration (e.g. 2h, 90m, 1h30m)",
    };

    public static TimeSpan? ParseBudget(string? text) =>
        text is null ? null : Budget.Parse(text)
            ?? throw new InvalidInputException(
                $"--budget '{text}': expected a duration such as 2h, 90m, 1h30m or 45s, at most {Budget.Max.TotalHours:0}h");

    /// <summary>Estimates every task of the plan, probing (once per machine) the backbones with a task to run; probe notes go to
    /// <paramref name="notes"/>.</summary>
    public static IReadOnlyList<TaskEstimate> Compute(Session session, TorchRuntime runtime, IReadOnlyList<PlanEntry> plan, TextWriter notes)
    {
        var store = EstimateStore.Default(runtime.Machine());
        var toRun = plan.Where(e => e.State == TaskState.Stale && e.Task.Subject is not null).Select(e => e.Task.Subject!).ToHashSet();
        Probe? ProbeOf(BackboneSpec b)
        {
            if (!toRun.Contains(b.Name)) return null;
            if (store.ProbeFor(b.Arch, b.ImageSize, b.BatchSize) is { } stored) return stored;
            notes.WriteLine($"probing {Probe.KeyOf(b.Arch, b.ImageSize, b.BatchSize)}: a few training steps in a process of its own, " +
                $"once on this machine (kept in {store.Location})");
            var probe = ProbeCommand.InChild(session.File, b, runtime);
            store.SaveProbe(b.Arch, b.ImageSize, b.BatchSize, probe);
            return probe;
        }
        var sizes = SplitSizes.Predict(session.Dataset.Files, session.Spec.Dataset.Split);
        return TaskEstimator.Estimate(session.Spec, plan, sizes, ProbeOf, store.CorrectionFor);
    }

    public static double Total(IReadOnlyList<TaskEstimate> estimates) => estimates.Sum(e => e.Seconds ?? 0);

    public static double? Peak(IReadOnlyList<TaskEstimate> estimates) => estimates.Max(e => e.PeakMemoryMb);

    /// <summary>Prints a warning when the total exceeds the budget; true when it does.</summary>
    public static bool WarnIfOverBudget(IReadOnlyList<TaskEstimate> estimates, TimeSpan? budget, TextWriter to)
    {
        var total = Total(estimates);
        if (budget is not { } b || total <= b.TotalSeconds) return false;
        to.WriteLine($"warning: estimated {Budget.Format(total)} exceeds the budget of {Budget.Format(b.TotalSeconds)} " +
            $"(largest: {string.Join(", ", estimates.Where(e => e.Seconds > 0).OrderByDescending(e => e.Seconds).Take(3).Select(e => $"{e.Id} {Budget.Format(e.Seconds!.Value)}"))})");
        return true;
    }
}
