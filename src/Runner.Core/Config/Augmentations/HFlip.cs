namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>Mirror left and right.</summary>
    public sealed record HFlip(double P = DefaultP) : AugmentOp(P)
    {
        public static readonly AugmentKind Step = AugmentKind.Of("hflip", [], a => new HFlip(a.P));
    }
}
