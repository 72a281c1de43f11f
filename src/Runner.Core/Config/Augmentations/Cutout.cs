namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>A square of <see cref="Size"/> × the side, centred uniformly (clipped at the borders), filled with 0 or the image mean.</summary>
    public sealed record Cutout(double P = DefaultP, double Size = Cutout.DefaultSize, string Fill = Cutout.Zero) : AugmentOp(P)
    {
        public const double DefaultSize = 0.25;
        public const string Zero = "0";
        public const string Mean = "mean";
        public static readonly string[] Fills = [Zero, Mean];

        public static readonly AugmentKind Step = AugmentKind.Of("cutout",
            [StepParam.Number("size", 0.01, 1, DefaultSize), StepParam.Choice("fill", Fills, Zero)],
            a => new Cutout(a.P, a.Number("size"), a.Choice("fill")));
    }
}
