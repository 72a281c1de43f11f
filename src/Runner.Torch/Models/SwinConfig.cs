namespace Runner.Torch.Models;

/// <summary>One Swin Transformer: embedding width, blocks and heads per stage, window, stochastic depth rate, V1 or V2.</summary>
internal sealed record SwinConfig(long EmbedDim, int[] Depths, int[] Heads, int Window, double DropPath, bool V2)
{
    public static readonly SwinConfig T = new(96, [2, 2, 6, 2], [3, 6, 12, 24], 7, 0.2, false);
    public static readonly SwinConfig S = new(96, [2, 2, 18, 2], [3, 6, 12, 24], 7, 0.3, false);
    public static readonly SwinConfig B = new(128, [2, 2, 18, 2], [4, 8, 16, 32], 7, 0.5, false);
    public static readonly SwinConfig V2T = new(96, [2, 2, 6, 2], [3, 6, 12, 24], 8, 0.2, true);
    public static readonly SwinConfig V2S = new(96, [2, 2, 18, 2], [3, 6, 12, 24], 8, 0.3, true);
    public static readonly SwinConfig V2B = new(128, [2, 2, 18, 2], [4, 8, 16, 32], 8, 0.5, true);
}
