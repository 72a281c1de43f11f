using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Runner.Torch.Models;

/// <summary>
/// ML.NET's pretrained ResNet18 featurizer (NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, a CNTK export):
/// ResNet(BasicBlock, [2, 2, 2, 3]) — one more block in layer4 than torchvision's resnet18 — built with torchvision's
/// parameter names so its ONNX weights map onto it by graph position (<see cref="Weights.OnnxWeightsFormat"/>).
/// </summary>
internal static class MlNetResNetArchs
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

    public static readonly ArchDefinition MlNetResNet18 = new("mlnet_resnet18", 224, Normalization, (n, _) => CreateResNet18(n), "fc",
        Bundled: new BundledWeights(
            // Where the package's content item puts ResNet18.onnx in the output of any project that references Runner.Torch.
            "DnnImageModels/ResNet18Onnx/ResNet18.onnx",
            "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f")) { BlockCount = 4 };

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
