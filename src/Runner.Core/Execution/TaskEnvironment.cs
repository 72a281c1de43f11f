using Runner.Core.Config;

namespace Runner.Core.Execution;

/// <summary>
/// What tasks read that is deliberately outside every key, because it is a fact of this machine rather than of the
/// experiment: where the dataset lies (<see cref="Dataset"/>'s <c>Path</c> and <c>Predict</c>; the data key covers what it
/// holds, wherever it lies) and where the report folder goes. A task's parameters record holds everything else it reads.
/// </summary>
public sealed record TaskEnvironment(DatasetSpec Dataset, string ReportOutput)
{
    public static TaskEnvironment Of(ExperimentSpec spec) => new(spec.Dataset, spec.Report.Output);
}
