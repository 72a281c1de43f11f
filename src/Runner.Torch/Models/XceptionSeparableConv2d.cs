using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>Depthwise 3×3 convolution (<c>conv1</c>, groups = in) followed by a pointwise 1×1 (<c>pointwise</c>), both without bias.</summary>
internal sealed class XceptionSeparableConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d pointwise;

    public XceptionSeparableConv2d(long inChannels, long outChannels, long kernelSize = 3, long stride = 1, long padding = 1, long dilation = 1)
        : base(nameof(XceptionSeparableConv2d))
    {
        conv1 = nn.Conv2d(inChannels, inChannels, kernel_size: kernelSize, stride: stride, padding: padding, dilation: dilation,
            groups: inChannels, bias: false);
        pointwise = nn.Conv2d(inChannels, outChannels, kernel_size: 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var x = conv1.call(input);
        return pointwise.call(x);
    }
}
