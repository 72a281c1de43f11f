namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>Rotation by an angle uniform in ±<see cref="Degrees"/>, borders reflected.</summary>
    public sealed record Rotate(double P = DefaultP, double Degrees = Rotate.DefaultDegrees) : AugmentOp(P)
    {
        public const double DefaultDegrees = 15;

        public static readonly AugmentKind Step = AugmentKind.Of("rotate", [StepParam.Number("degrees", 0, 180, DefaultDegrees)],
            a => new Rotate(a.P, a.Number("degrees")));
    }
}
