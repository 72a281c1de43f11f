using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torchvision.models;

namespace Runner.Torch.Models;

/// <summary>torchvision's MobileNets, as TorchVision .NET builds them (same parameter names).</summary>
internal static class MobileNetArchs
{
    public static readonly ArchDefinition MobileNetV2 = new("mobilenet_v2", 224, Normalization.ImageNet, (n, _) => mobilenet_v2(num_classes: n), "classifier.1",
        TorchvisionRelease.V2("mobilenet_v2-7ebf99e0.pth", 72.154))
    {
        BlockCount = 19,
        OtherReleases = [TorchvisionRelease.V1("mobilenet_v2-b0353104.pth", 71.878)],
    };
    public static readonly ArchDefinition MobileNetV3Large = new("mobilenet_v3_large", 224, Normalization.ImageNet, (n, _) => new MobileNetV3Head(mobilenet_v3_large(), n), "classifier.3",
        TorchvisionRelease.V2("mobilenet_v3_large-5c1a4163.pth", 75.274))
    {
        BlockCount = 17,
        OtherReleases = [TorchvisionRelease.V1("mobilenet_v3_large-8738ca79.pth", 74.042)],
    };
    public static readonly ArchDefinition MobileNetV3Small = new("mobilenet_v3_small", 224, Normalization.ImageNet, (n, _) => new MobileNetV3Head(mobilenet_v3_small(), n), "classifier.3",
        TorchvisionRelease.V1("mobilenet_v3_small-047dcff4.pth", 67.668)) { BlockCount = 13 };

    /// <summary>
    /// TorchVision .NET builds MobileNetV3 only with 1000 classes; this re-hosts its children under the same names
    /// with the last classifier layer replaced, and runs torchvision's forward.
    /// </summary>
    private sealed class MobileNetV3Head : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> features;
        private readonly nn.Module<Tensor, Tensor> avgpool;
        private readonly nn.Module<Tensor, Tensor> classifier;

        public MobileNetV3Head(nn.Module<Tensor, Tensor> model, int outputs) : base("MobileNetV3")
        {
            var children = model.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
            features = children["features"];
            avgpool = children["avgpool"];
            var layers = children["classifier"].named_children().ToList();
            var last = (TorchSharp.Modules.Linear)layers[^1].module;
            layers[^1] = (layers[^1].name, nn.Linear(last.in_features, outputs));
            classifier = nn.Sequential(layers.Select(l => (l.name, (nn.Module<Tensor, Tensor>)l.module)).ToArray());
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) =>
            classifier.call(torch.flatten(avgpool.call(features.call(input)), 1));
    }
}
