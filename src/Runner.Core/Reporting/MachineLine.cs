using Runner.Core.Machines;
using Runner.Core.Results;

namespace Runner.Core.Reporting;

/// <summary>One machine of a report: its label in the tables (<c>M1</c>, <c>M2</c>…), what it is, which backbones it trained and timed.</summary>
internal sealed record MachineLine(string Label, string Id, string Description, IReadOnlyList<string> Trained, IReadOnlyList<string> Timed)
{
    /// <summary>The label of machine <paramref name="id"/> among <paramref name="machines"/> (<c>M1</c> for the first), "–" when unknown.</summary>
    public static string LabelOf(IReadOnlyList<Machine> machines, string? id) =>
        machines.Select((m, i) => (m.Id, i)).FirstOrDefault(m => m.Id == id) is { Id: not null } found ? $"M{found.i + 1}" : "–";

    public static IReadOnlyList<MachineLine> Of(ExperimentResults results) => results.Machines.Select(m => new MachineLine(
        LabelOf(results.Machines, m.Id), m.Id, m.Describe(),
        results.Backbones.Where(b => b.Train.Machine == m.Id).Select(b => b.Name).ToList(),
        results.Backbones.Where(b => b.Timing.Machine == m.Id && b.Timing.TimedBy is null).Select(b => b.Name).ToList())).ToList();
}
