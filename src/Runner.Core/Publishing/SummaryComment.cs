using System.Globalization;
using System.Text;
using Runner.Core.Results;
using Runner.Core.Util;

namespace Runner.Core.Publishing;

/// <summary>The summary table <c>publish --comment</c> posts, found again on later runs by its hidden marker.</summary>
internal static class SummaryComment
{
    /// <summary>GitHub rejects comment bodies longer than this many characters.</summary>
    public const int MaxLength = 65_536;

    public static string Marker(string experiment) => $"<!-- runner publish: {experiment} -->";

    public static string Body(ExperimentResults results, string reportUrl, string? commit, int maxLength = MaxLength)
    {
        var head = new StringBuilder()
            .AppendLine(Marker(results.Experiment))
            .AppendLine(CultureInfo.InvariantCulture, $"### runner: {results.Experiment}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"[Full report]({reportUrl}){(commit is null ? "" : $" · commit {commit[..Math.Min(12, commit.Length)]}")} · {MachinesOf(results)}")
            .AppendLine()
            .AppendLine("| | Test log loss | Test accuracy | ms per image (batch 1) | s per epoch |")
            .AppendLine("|---|---:|---:|---:|---:|")
            .ToString();
        var rows = results.Backbones.Select(b => BackboneRow(results, b)).Concat(results.Ensembles.Select(EnsembleRow)).ToList();
        // Drop rows from the end until the body fits, saying how many the report still has.
        for (var kept = rows.Count; kept >= 0; kept--)
        {
            var tail = kept == rows.Count ? "" : $"\n_… {rows.Count - kept} more rows in the full report._\n";
            var body = head + string.Concat(rows.Take(kept)) + tail;
            if (body.Length <= maxLength) return body;
        }
        return head.Length <= maxLength ? head : head[..maxLength];
    }

    /// <summary>The machine the figures came from, or with several each as <c>M1: …</c> (the rows then name theirs).</summary>
    private static string MachinesOf(ExperimentResults results) => results.Machines.Count switch
    {
        0 => $"{results.Environment.DeviceName} ({results.Environment.Device})",
        1 => results.Machines[0].Describe(),
        _ => string.Join("; ", results.Machines.Select(m => $"{Reporting.MachineLine.LabelOf(results.Machines, m.Id)}: {m.Describe()}")),
    };

    private static string BackboneRow(ExperimentResults results, BackboneResult b)
    {
        // With several machines, each time says which one measured it: times from two machines are not comparable.
        string On(string? machine) => results.Machines.Count > 1 ? $" ({Reporting.MachineLine.LabelOf(results.Machines, machine)})" : "";
        var latency = b.Timing.LatencyMs.TryGetValue("1", out var one) ? Number(one.Median, "F2") + On(b.Timing.Machine) : "–";
        var epoch = b.Train.EpochSeconds.Count > 0 ? Number(Statistics.Median(b.Train.EpochSeconds), "F1") + On(b.Train.Machine) : "–";
        return $"| {Cell(b.Name)} | {Number(b.Metrics.Test.LogLoss, "F4")} | {Number(b.Metrics.Test.Accuracy, "F4")} | {latency} | {epoch} |\n";
    }

    private static string EnsembleRow(EnsembleResult e) =>
        $"| {Cell(e.Name)} ({e.Method}) | {Number(e.Metrics.Test.LogLoss, "F4")} | {Number(e.Metrics.Test.Accuracy, "F4")} | {(e.LatencyMsSum is { } sum ? Number(sum, "F2") : "–")} | |\n";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
    private static string Cell(string text) => text.Replace("|", "\\|");
}
