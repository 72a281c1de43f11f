namespace Runner.Core.Config;

internal static class TrainingPhases
{
    /// <summary>The backbone's phases; without <c>phases:</c>, one phase made of its top-level settings.</summary>
    public static IReadOnlyList<PhaseSpec> PhasesOrOne(this BackboneSpec b) =>
        b.Phases ?? [new PhaseSpec(b.Trainable, b.Epochs, b.Optimizer, b.Schedule)];
}
