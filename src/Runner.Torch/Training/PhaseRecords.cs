using Runner.Core.Config;
using Runner.Core.Results;

namespace Runner.Torch.Training;

internal static class PhaseRecords
{
    /// <summary>One record per phase from the per-epoch lists of the whole run; <paramref name="trainableParams"/> counts a policy's parameter
    /// elements.</summary>
    public static IReadOnlyList<PhaseRecord> Of(IReadOnlyList<PhaseSpec> phases, IReadOnlyList<int> epochPhase, IReadOnlyList<double> epochSeconds,
        IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, Func<string, long> trainableParams) =>
        phases.Select((phase, p) =>
        {
            var epochs = Enumerable.Range(0, epochPhase.Count).Where(e => epochPhase[e] == p).ToList();
            return new PhaseRecord(p + 1, phase.Trainable, phase.Epochs, epochs.Count, (epochs.Count > 0 ? epochs[0] : epochPhase.Count) + 1,
                trainableParams(phase.Trainable), epochs.Sum(e => epochSeconds[e]),
                epochs.Select(e => trainLoss[e]).ToList(), epochs.Select(e => validationLoss[e]).ToList());
        }).ToList();
}
