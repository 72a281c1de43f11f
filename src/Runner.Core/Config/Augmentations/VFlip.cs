namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>Mirror top and bottom.</summary>
    public sealed record VFlip(double P = DefaultP) : AugmentOp(P)
    {
        public static readonly AugmentKind Step = AugmentKind.Of("vflip", [], a => new VFlip(a.P));
    }
}
