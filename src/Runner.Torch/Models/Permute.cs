using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>torchvision's <c>Permute</c>: reorders the dimensions (a parameter-free layer inside Sequentials).</summary>
internal sealed class Permute(params long[] dims) : nn.Module<Tensor, Tensor>(nameof(Permute))
{
    public override Tensor forward(Tensor input) => input.permute(dims);
}
