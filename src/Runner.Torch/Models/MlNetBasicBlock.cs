using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's BasicBlock (3×3 conv, BN, ReLU, 3×3 conv, BN, + identity or downsample, ReLU) with its parameter
/// names: conv1, bn1, conv2, bn2, downsample.0/1. TorchSharp's own BasicBlock is private to its ResNet.
/// </summary>
internal sealed class MlNetBasicBlock : Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> relu1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor>? downsample;

    public MlNetBasicBlock(
        int inPlanes, int planes, int stride = 1, Module<Tensor, Tensor>? downsample = null,
        int groups = 1, int baseWidth = 64, int dilation = 1, Func<int, Module<Tensor, Tensor>>? normLayer = null)
        : base("BasicBlock")
    {
        if (groups != 1 || baseWidth != 64) throw new ArgumentException("BasicBlock only supports groups=1 and base_width=64");
        if (dilation > 1) throw new NotSupportedException("dilation > 1 is not supported in BasicBlock");
        normLayer ??= p => BatchNorm2d(p);

        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, stride: stride, padding: 1L, bias: false);
        bn1 = normLayer(planes);
        relu1 = ReLU(inplace: true);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1L, bias: false);
        bn2 = normLayer(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = relu1.call(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var identity = downsample is null ? input : downsample.call(input);
        return x.add_(identity).relu_();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            relu1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}
