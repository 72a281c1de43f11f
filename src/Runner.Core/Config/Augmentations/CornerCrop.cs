namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>The original study's crops: a corner or the centre (each equally likely), <see cref="Size"/> × the side, resized back.</summary>
    public sealed record CornerCrop(double P = DefaultP, double Size = CornerCrop.DefaultSize) : AugmentOp(P)
    {
        public const double DefaultSize = 0.875;

        public static readonly AugmentKind Step = AugmentKind.Of("corner_crop", [StepParam.Number("size", 0.1, 1, DefaultSize)],
            a => new CornerCrop(a.P, a.Number("size")));
    }
}
