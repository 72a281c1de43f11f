using System.Text.Json.Serialization;
using Runner.Core.Config;

namespace Runner.Core.Planning.Kinds;

/// <summary>
/// <c>train</c>'s parameters: one backbone's training settings as its executor reads them, built in one place
/// (<see cref="Of"/>). Settings that do not apply (sgd's momentum under adam, step-only schedule settings under cosine)
/// are reset to their defaults there, so changing them does not retrain.
/// </summary>
public sealed record TrainParams(
    string Arch, string Weights, string WeightsSha256, int ImageSize, int Epochs, int BatchSize, OptimizerSpec Optimizer,
    ScheduleSpec Schedule, double LabelSmoothing, double? GradClip, string Trainable, EarlyStoppingSpec? EarlyStopping,
    IReadOnlyList<AugmentOp> Augment, int Seed, IReadOnlyList<PhaseSpec>? Phases)
{
    /// <summary>One of <see cref="Precisions.All"/>.</summary>
    public string Precision { get; init; } = Precisions.Default;
    public bool ChannelsLast { get; init; }
    /// <summary>
    /// <c>drop_path</c>, the stochastic depth rate; null trains at the architecture's own rate (the arch, in the key, fixes
    /// it). Left out of the key while null, so that keys written before the setting existed stay valid.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DropPath { get; init; }

    public static TrainParams Of(BackboneSpec b, string weightsDigest) => new(
        b.Arch, b.Weights, weightsDigest, b.ImageSize, b.Epochs, b.BatchSize, Applicable(b.Optimizer), Applicable(b.Schedule),
        b.LabelSmoothing, b.GradClip, b.Trainable, b.EarlyStopping, b.Augment, b.Seed,
        b.Phases?.Select(p => p with { Optimizer = Applicable(p.Optimizer), Schedule = Applicable(p.Schedule) }).ToList())
    {
        Precision = b.Precision, ChannelsLast = b.ChannelsLast,
        DropPath = b.DropPath,
    };

    /// <summary>The phases to train; without <c>phases:</c>, one phase made of the top-level settings.</summary>
    public IReadOnlyList<PhaseSpec> PhasesOrOne() => Phases ?? [new PhaseSpec(Trainable, Epochs, Optimizer, Schedule)];

    private static OptimizerSpec Applicable(OptimizerSpec o) => o.Name == "sgd" ? o : new OptimizerSpec(o.Name, o.Lr, o.WeightDecay);

    private static ScheduleSpec Applicable(ScheduleSpec s)
    {
        var defaults = new ScheduleSpec();
        return new ScheduleSpec(s.Name, s.WarmupEpochs,
            s.Name == "step" ? s.StepSize : defaults.StepSize, s.Name == "step" ? s.Gamma : defaults.Gamma,
            s.Name == "cosine" ? s.MinLr : defaults.MinLr);
    }
}
