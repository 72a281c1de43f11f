using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torch's <c>trunc_normal_(t, std=…)</c> as torchvision calls it: a normal of mean 0 cut at ±2 (absolute, so ±50σ or more
/// at the standard deviations used: in effect untruncated). TorchSharp's own <c>trunc_normal_</c> is not used: at such a
/// cut it can return NaN (seen: one element of ConvNeXt-T's 28 M).
/// </summary>
internal static class TruncatedNormal
{
    public static void Fill(Tensor tensor, double std)
    {
        using var _ = no_grad();
        tensor.normal_(0, std).clamp_(-2, 2);
    }
}
