namespace Runner.Torch.Models;

/// <summary>
/// One RegNet's four stages: blocks per stage, widths and group widths, as torchvision's
/// <c>BlockParams.from_init_params(depth, w_0, w_a, w_m, group_width)</c> computes them from the design-space parameters
/// (bottleneck multiplier 1, stride 2 per stage); RegNetY adds squeeze-and-excitation (ratio 0.25).
/// </summary>
internal sealed record RegNetConfig(int[] Depths, int[] Widths, int[] GroupWidths, bool SqueezeExcitation)
{
    // RegNetY: se_ratio 0.25. (depth, w_0, w_a, w_m, group_width) in comments, as torchvision's builders give them.
    public static readonly RegNetConfig Y400MF = new([1, 3, 6, 6], [48, 104, 208, 440], [8, 8, 8, 8], true); // 16, 48, 27.89, 2.09, 8
    public static readonly RegNetConfig Y800MF = new([1, 3, 8, 2], [64, 144, 320, 784], [16, 16, 16, 16], true); // 14, 56, 38.84, 2.4, 16
    public static readonly RegNetConfig Y1_6GF = new([2, 6, 17, 2], [48, 120, 336, 888], [24, 24, 24, 24], true); // 27, 48, 20.71, 2.65, 24
    public static readonly RegNetConfig Y3_2GF = new([2, 5, 13, 1], [72, 216, 576, 1512], [24, 24, 24, 24], true); // 21, 80, 42.63, 2.66, 24
    public static readonly RegNetConfig Y8GF = new([2, 4, 10, 1], [224, 448, 896, 2016], [56, 56, 56, 56], true); // 17, 192, 76.82, 2.19, 56
    public static readonly RegNetConfig Y16GF = new([2, 4, 11, 1], [224, 448, 1232, 3024], [112, 112, 112, 112], true); // 18, 200, 106.23, 2.48, 112
    public static readonly RegNetConfig Y32GF = new([2, 5, 12, 1], [232, 696, 1392, 3712], [232, 232, 232, 232], true); // 20, 232, 115.89, 2.53, 232

    public static readonly RegNetConfig X400MF = new([1, 2, 7, 12], [32, 64, 160, 400], [16, 16, 16, 16], false); // 22, 24, 24.48, 2.54, 16
    public static readonly RegNetConfig X800MF = new([1, 3, 7, 5], [64, 128, 288, 672], [16, 16, 16, 16], false); // 16, 56, 35.73, 2.28, 16
    public static readonly RegNetConfig X1_6GF = new([2, 4, 10, 2], [72, 168, 408, 912], [24, 24, 24, 24], false); // 18, 80, 34.01, 2.25, 24
    public static readonly RegNetConfig X3_2GF = new([2, 6, 15, 2], [96, 192, 432, 1008], [48, 48, 48, 48], false); // 25, 88, 26.31, 2.25, 48
    // The first stage's 80 channels cannot hold groups of 120, so torchvision lowers its group width to 80.
    public static readonly RegNetConfig X8GF = new([2, 5, 15, 1], [80, 240, 720, 1920], [80, 120, 120, 120], false); // 23, 80, 49.56, 2.88, 120
    public static readonly RegNetConfig X16GF = new([2, 6, 13, 1], [256, 512, 896, 2048], [128, 128, 128, 128], false); // 22, 216, 55.59, 2.1, 128
    public static readonly RegNetConfig X32GF = new([2, 7, 13, 1], [336, 672, 1344, 2520], [168, 168, 168, 168], false); // 23, 320, 69.86, 2.0, 168
}
