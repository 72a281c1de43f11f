using Runner.Core.Config;

namespace Runner.Core.Estimation;

/// <summary>
/// What a kind's estimate (<see cref="Planning.ITaskKind.EstimateSeconds"/>) is computed from: the experiment, the
/// split sizes, the backbone's probe and its correction.
/// </summary>
public sealed record EstimateInputs(ExperimentSpec Spec, SplitSizes Sizes, Probe Probe, Correction Correction);
