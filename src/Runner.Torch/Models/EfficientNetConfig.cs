using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// One EfficientNet variant as torchvision's <c>_efficientnet_conf</c> gives it: its stages (v1: B0's scaled by width and
/// depth; v2: Table 4 of the EfficientNetV2 paper, fused stages first), the width of the last 1×1 convolution, classifier
/// dropout, and the BatchNorm settings (B5–B7 were ported from TensorFlow weights and use eps 1e-3, momentum 0.01; V2 uses
/// eps 1e-3).
/// </summary>
internal sealed record EfficientNetConfig(
    IReadOnlyList<EfficientNetConfig.StageSpec> Stages,
    long LastChannels,
    double Dropout,
    double BatchNormEps = 1e-5,
    double BatchNormMomentum = 0.1)
{
    /// <summary>B0's stages (EfficientNet paper, table 1), before width and depth scaling (first: the variants below read it).</summary>
    private static readonly StageSpec[] BaseStages =
    [
        new(Fused: false, ExpandRatio: 1, Kernel: 3, Stride: 1, InChannels: 32, OutChannels: 16, Repeats: 1),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 16, OutChannels: 24, Repeats: 2),
        new(Fused: false, ExpandRatio: 6, Kernel: 5, Stride: 2, InChannels: 24, OutChannels: 40, Repeats: 2),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 40, OutChannels: 80, Repeats: 3),
        new(Fused: false, ExpandRatio: 6, Kernel: 5, Stride: 1, InChannels: 80, OutChannels: 112, Repeats: 3),
        new(Fused: false, ExpandRatio: 6, Kernel: 5, Stride: 2, InChannels: 112, OutChannels: 192, Repeats: 4),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 192, OutChannels: 320, Repeats: 1),
    ];

    public static readonly EfficientNetConfig B0 = V1(1.0, 1.0, 0.2);
    public static readonly EfficientNetConfig B1 = V1(1.0, 1.1, 0.2);
    public static readonly EfficientNetConfig B2 = V1(1.1, 1.2, 0.3);
    public static readonly EfficientNetConfig B3 = V1(1.2, 1.4, 0.3);
    public static readonly EfficientNetConfig B4 = V1(1.4, 1.8, 0.4);
    public static readonly EfficientNetConfig B5 = V1(1.6, 2.2, 0.4, 1e-3, 0.01);
    public static readonly EfficientNetConfig B6 = V1(1.8, 2.6, 0.5, 1e-3, 0.01);
    public static readonly EfficientNetConfig B7 = V1(2.0, 3.1, 0.5, 1e-3, 0.01);

    public static readonly EfficientNetConfig V2S = new(
    [
        new(Fused: true, ExpandRatio: 1, Kernel: 3, Stride: 1, InChannels: 24, OutChannels: 24, Repeats: 2),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 24, OutChannels: 48, Repeats: 4),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 48, OutChannels: 64, Repeats: 4),
        new(Fused: false, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 64, OutChannels: 128, Repeats: 6),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 128, OutChannels: 160, Repeats: 9),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 160, OutChannels: 256, Repeats: 15),
    ], 1280, 0.2, 1e-3);

    public static readonly EfficientNetConfig V2M = new(
    [
        new(Fused: true, ExpandRatio: 1, Kernel: 3, Stride: 1, InChannels: 24, OutChannels: 24, Repeats: 3),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 24, OutChannels: 48, Repeats: 5),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 48, OutChannels: 80, Repeats: 5),
        new(Fused: false, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 80, OutChannels: 160, Repeats: 7),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 160, OutChannels: 176, Repeats: 14),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 176, OutChannels: 304, Repeats: 18),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 304, OutChannels: 512, Repeats: 5),
    ], 1280, 0.3, 1e-3);

    public static readonly EfficientNetConfig V2L = new(
    [
        new(Fused: true, ExpandRatio: 1, Kernel: 3, Stride: 1, InChannels: 32, OutChannels: 32, Repeats: 4),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 32, OutChannels: 64, Repeats: 7),
        new(Fused: true, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 64, OutChannels: 96, Repeats: 7),
        new(Fused: false, ExpandRatio: 4, Kernel: 3, Stride: 2, InChannels: 96, OutChannels: 192, Repeats: 10),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 192, OutChannels: 224, Repeats: 19),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 224, OutChannels: 384, Repeats: 25),
        new(Fused: false, ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 384, OutChannels: 640, Repeats: 7),
    ], 1280, 0.4, 1e-3);

    /// <summary>One stage: <see cref="Repeats"/> MBConv (or, <see cref="Fused"/>, FusedMBConv) blocks, the first with the stride.</summary>
    internal sealed record StageSpec(bool Fused, int ExpandRatio, int Kernel, int Stride, long InChannels, long OutChannels, int Repeats);

    /// <summary>EfficientNet v1: B0's stages with channels scaled by <paramref name="width"/> and repeats by <paramref name="depth"/>.</summary>
    private static EfficientNetConfig V1(double width, double depth, double dropout, double eps = 1e-5, double momentum = 0.1)
    {
        long Channels(long c) => MakeDivisible(c * width);
        var stages = BaseStages.Select(s => s with
        {
            InChannels = Channels(s.InChannels),
            OutChannels = Channels(s.OutChannels),
            Repeats = (int)Math.Ceiling(s.Repeats * depth),
        }).ToList();
        return new EfficientNetConfig(stages, 4 * stages[^1].OutChannels, dropout, eps, momentum);
    }

    internal BatchNorm2d Norm(long channels) => nn.BatchNorm2d(channels, eps: BatchNormEps, momentum: BatchNormMomentum);

    /// <summary>torchvision's <c>_make_divisible(v, 8)</c>: nearest multiple of 8, at least 8, never more than 10% below v.</summary>
    internal static long MakeDivisible(double value, long divisor = 8)
    {
        var rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
