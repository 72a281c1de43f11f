using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>torchvision's <c>LayerNorm2d</c> (ConvNeXt): LayerNorm over the channels of an [N, C, H, W] map (<c>weight</c>, <c>bias</c>).</summary>
internal sealed class LayerNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly double _eps;

    public LayerNorm2d(long channels, double eps = 1e-6) : base(nameof(LayerNorm2d))
    {
        weight = new Parameter(torch.ones(channels));
        bias = new Parameter(torch.zeros(channels));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var channelsLast = input.permute(0, 2, 3, 1);
        using var normalised = nn.functional.layer_norm(channelsLast, [weight.shape[0]], weight, bias, _eps);
        return normalised.permute(0, 3, 1, 2);
    }
}
