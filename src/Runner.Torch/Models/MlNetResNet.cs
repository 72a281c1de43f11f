using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Runner.Torch.Models;

/// <summary>
/// ML.NET's pretrained ResNet18 featurizer (NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, a CNTK export):
/// ResNet(BasicBlock, [2, 2, 2, 3]) — one more block in layer4 than torchvision's resnet18 — built with torchvision's
/// parameter names so its ONNX weights map onto it by graph position (<see cref="Weights.OnnxWeightsFormat"/>).
/// </summary>
public static class MlNetResNetArchs
{
    /// <summary>Blocks per stage of ML.NET's ResNet18 (22 convolutions).</summary>
    public static readonly IReadOnlyList<int> ResNet18Layers = [2, 2, 2, 3];

    /// <summary>
    /// The weight source's own preprocessing, from the package's <c>ResNetPreprocess.onnx</c>: Split the RGB input into
    /// planes, Concat them as B, G, R, Sub <c>MeanImage</c> ([1, 3, 224, 224] float, BGR order) — on 0–255 values, no
    /// scaling. The per-pixel mean image is replaced by its per-channel averages, computed once by reading MeanImage
    /// with <see cref="Weights.OnnxModel"/> and averaging each channel's 224 × 224 values (in double):
    /// B 103.06262401521815, G 115.90288236463556, R 123.1516307762691 (per-pixel ranges: B 95.3–115.8,
    /// G 109.1–126.2, R 118.7–129.5).
    /// </summary>
    public static readonly Normalization Normalization =
        new("mlnet", [103.062624f, 115.902882f, 123.151631f], [1f, 1f, 1f], Bgr: true, Scale: 255f);

    public static readonly ArchDefinition MlNetResNet18 = new("mlnet_resnet18", 224, Normalization, n => CreateResNet18(n), "fc",
        BundledWeights: BundledOnnxRelativePath) { BlockCount = 4 };

    /// <summary>Where the package's content item puts ResNet18.onnx in the output of any project that references Runner.Torch.</summary>
    public const string BundledOnnxRelativePath = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>The ResNet with a fresh <c>fc</c> of <paramref name="numClasses"/> outputs.</summary>
    public static TorchSharp.Modules.ResNet CreateResNet18(int numClasses) =>
        new("MlNetResNet18",
            (inPlanes, planes, stride, downsample, groups, baseWidth, dilation, normLayer) =>
                new MlNetBasicBlock(inPlanes, planes, stride, downsample, groups, baseWidth, dilation, normLayer),
            MlNetBasicBlock.Expansion,
            [.. ResNet18Layers],
            numClasses);

    /// <summary>
    /// The pooled backbone features ([N, 512]) of a model built by <see cref="CreateResNet18"/> or torchvision's ResNet:
    /// every stage up to and including the global average pool, without <c>fc</c>.
    /// </summary>
    public static Tensor PooledFeatures(Module<Tensor, Tensor> resnet, Tensor input)
    {
        var children = resnet.named_children().ToDictionary(c => c.name, c => c.module);
        string[] order = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten"];
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var name in order)
        {
            if (!children.TryGetValue(name, out var child) || child is not Module<Tensor, Tensor> layer)
                throw new ArgumentException($"not a torchvision-style ResNet: no '{name}' child", nameof(resnet));
            x = layer.call(x);
        }
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// torchvision's BasicBlock (3×3 conv, BN, ReLU, 3×3 conv, BN, + identity or downsample, ReLU) with its parameter
/// names: conv1, bn1, conv2, bn2, downsample.0/1. TorchSharp's own BasicBlock is private to its ResNet.
/// </summary>
public sealed class MlNetBasicBlock : Module<Tensor, Tensor>
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
