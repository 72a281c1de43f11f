using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's <c>SqueezeExcitation</c>: channel gates from global average pooling → 1×1 conv <c>fc1</c> → activation
/// (SiLU in EfficientNet and MaxViT, ReLU in RegNet) → 1×1 conv <c>fc2</c> → sigmoid, multiplied into the input.
/// </summary>
internal sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly bool _relu;

    public SqueezeExcitation(long channels, long squeezeChannels, bool relu = false) : base(nameof(SqueezeExcitation))
    {
        fc1 = nn.Conv2d(channels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, channels, 1);
        _relu = relu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var pooled = nn.functional.adaptive_avg_pool2d(input, 1);
        using var squeezed = fc1.call(pooled);
        using var activated = _relu ? nn.functional.relu(squeezed) : nn.functional.silu(squeezed);
        using var excited = fc2.call(activated);
        using var scale = excited.sigmoid();
        return scale * input;
    }
}
