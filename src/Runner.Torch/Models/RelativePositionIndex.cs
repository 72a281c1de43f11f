using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>The index into a window attention's relative position bias table (Swin, MaxViT).</summary>
internal static class RelativePositionIndex
{
    /// <summary>
    /// torchvision's <c>relative_position_index</c> for a <paramref name="window"/>² window: for tokens i, j,
    /// (Δrow + w − 1)·(2w − 1) + (Δcolumn + w − 1), as a [w², w²] int64 tensor (MaxViT keeps it so; Swin flattens it).
    /// </summary>
    public static Tensor Of(int window)
    {
        var tokens = window * window;
        var index = new long[tokens * tokens];
        for (var i = 0; i < tokens; i++)
            for (var j = 0; j < tokens; j++)
                index[i * tokens + j] = (i / window - j / window + window - 1) * (2L * window - 1) + (i % window - j % window + window - 1);
        return torch.tensor(index).view(tokens, tokens);
    }
}
