namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>torchvision's RandomResizedCrop: area fraction from <see cref="Scale"/>, aspect ratio log-uniform in <see cref="Ratio"/>.</summary>
    public sealed record RandomResizedCrop(double P, Interval Scale, Interval Ratio) : AugmentOp(P)
    {
        public static readonly Interval DefaultScale = new(0.08, 1.0);
        public static readonly Interval DefaultRatio = new(3.0 / 4.0, 4.0 / 3.0);

        public static readonly AugmentKind Step = AugmentKind.Of("random_resized_crop",
            [StepParam.Range("scale", 0.01, 1, DefaultScale), StepParam.Range("ratio", 0.1, 10, DefaultRatio)],
            a => new RandomResizedCrop(a.P, a.Range("scale"), a.Range("ratio")));
    }
}
