namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>Gaussian blur with σ uniform in <see cref="Sigma"/>; the kernel is the odd size 2⌈3σ⌉ + 1.</summary>
    public sealed record GaussianBlur(double P, Interval Sigma) : AugmentOp(P)
    {
        public static readonly Interval DefaultSigma = new(0.1, 2.0);

        public static readonly AugmentKind Step = AugmentKind.Of("gaussian_blur", [StepParam.Range("sigma", 0.01, 50, DefaultSigma)],
            a => new GaussianBlur(a.P, a.Range("sigma")));
    }
}
