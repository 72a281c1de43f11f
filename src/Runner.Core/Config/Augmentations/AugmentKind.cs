namespace Runner.Core.Config;

/// <summary>
/// What the experiment file, the schema and the key know of one augmentation kind: its name, its parameters besides
/// <c>p</c> (each with its range and default) and how a step is built from them.
/// </summary>
public sealed record AugmentKind(string Name, Type Type, IReadOnlyList<StepParam> Params, Func<StepArgs, AugmentOp> Create)
{
    public static AugmentKind Of<T>(string name, IReadOnlyList<StepParam> parameters, Func<StepArgs, T> create) where T : AugmentOp =>
        new(name, typeof(T), parameters, a => create(a));
}
