namespace Runner.Core.Config;

public abstract partial record AugmentOp
{
    /// <summary>torchvision-like ColorJitter: each factor uniform in [1 − x, 1 + x], the three applied in random order.</summary>
    public sealed record ColorJitter(
        double P = DefaultP, double Brightness = ColorJitter.Default, double Contrast = ColorJitter.Default, double Saturation = ColorJitter.Default)
        : AugmentOp(P)
    {
        public const double Default = 0.2;

        public static readonly AugmentKind Step = AugmentKind.Of("color_jitter",
            [
                StepParam.Number("brightness", 0, 1, Default), StepParam.Number("contrast", 0, 1, Default),
                StepParam.Number("saturation", 0, 1, Default),
            ],
            a => new ColorJitter(a.P, a.Number("brightness"), a.Number("contrast"), a.Number("saturation")));
    }
}
