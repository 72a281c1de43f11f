namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>torchvision's RandomGrayscale: the image becomes its luma (0.299 R + 0.587 G + 0.114 B) in all three channels.</summary>
    public sealed record Grayscale(double P = DefaultP) : AugmentOp(P)
    {
        public static readonly AugmentKind Step = AugmentKind.Of("grayscale", [], a => new Grayscale(a.P));
    }
}
