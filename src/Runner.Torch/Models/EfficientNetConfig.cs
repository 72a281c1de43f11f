using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// Compound scaling of one EfficientNet variant: channel (width) and repeat (depth) multipliers, classifier dropout,
/// and the BatchNorm settings (B5–B7 were ported from TensorFlow weights and use eps 1e-3, momentum 0.01).
/// </summary>
internal sealed record EfficientNetConfig(
    double WidthMultiplier,
    double DepthMultiplier,
    double Dropout,
    double BatchNormEps = 1e-5,
    double BatchNormMomentum = 0.1)
{
    public static readonly EfficientNetConfig B0 = new(1.0, 1.0, 0.2);
    public static readonly EfficientNetConfig B1 = new(1.0, 1.1, 0.2);
    public static readonly EfficientNetConfig B2 = new(1.1, 1.2, 0.3);
    public static readonly EfficientNetConfig B3 = new(1.2, 1.4, 0.3);
    public static readonly EfficientNetConfig B4 = new(1.4, 1.8, 0.4);
    public static readonly EfficientNetConfig B5 = new(1.6, 2.2, 0.4, 1e-3, 0.01);
    public static readonly EfficientNetConfig B6 = new(1.8, 2.6, 0.5, 1e-3, 0.01);
    public static readonly EfficientNetConfig B7 = new(2.0, 3.1, 0.5, 1e-3, 0.01);

    /// <summary>B0's stages (EfficientNet paper, table 1), before width and depth scaling.</summary>
    internal static readonly StageSpec[] BaseStages =
    [
        new(ExpandRatio: 1, Kernel: 3, Stride: 1, InChannels: 32, OutChannels: 16, Repeats: 1),
        new(ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 16, OutChannels: 24, Repeats: 2),
        new(ExpandRatio: 6, Kernel: 5, Stride: 2, InChannels: 24, OutChannels: 40, Repeats: 2),
        new(ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 40, OutChannels: 80, Repeats: 3),
        new(ExpandRatio: 6, Kernel: 5, Stride: 1, InChannels: 80, OutChannels: 112, Repeats: 3),
        new(ExpandRatio: 6, Kernel: 5, Stride: 2, InChannels: 112, OutChannels: 192, Repeats: 4),
        new(ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 192, OutChannels: 320, Repeats: 1),
    ];

    internal sealed record StageSpec(int ExpandRatio, int Kernel, int Stride, long InChannels, long OutChannels, int Repeats);

    internal long Channels(long channels) => MakeDivisible(channels * WidthMultiplier);

    internal int Repeats(int repeats) => (int)Math.Ceiling(repeats * DepthMultiplier);

    internal BatchNorm2d Norm(long channels) => nn.BatchNorm2d(channels, eps: BatchNormEps, momentum: BatchNormMomentum);

    /// <summary>torchvision's <c>_make_divisible(v, 8)</c>: nearest multiple of 8, at least 8, never more than 10% below v.</summary>
    internal static long MakeDivisible(double value, long divisor = 8)
    {
        var rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
