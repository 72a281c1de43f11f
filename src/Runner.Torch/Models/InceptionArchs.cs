using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torchvision.models;

namespace Runner.Torch.Models;

/// <summary>torchvision's InceptionV3 (same parameter names), with its auxiliary classifier used in training.</summary>
internal static class InceptionArchs
{
    /// <summary>
    /// Inception normalisation (mean = std = 0.5) is exactly what torchvision's <c>transform_input</c> turns
    /// ImageNet-normalised input into for the Google weights, so the model runs without that transform.
    /// </summary>
    public static readonly ArchDefinition InceptionV3 = new("inception_v3", 299, Normalization.Inception,
        (n, _) => new InceptionV3WithAuxiliary(n), "fc",
        TorchvisionRelease.V1("inception_v3_google-0cc3c7bd.pth", 77.294, resize: 342, crop: 299),
        AuxiliaryHeadPrefix: "AuxLogits.fc",
        MinImageSize: 75) { BlockCount = 11 };

    /// <summary>
    /// TorchVision .NET builds the AuxLogits branch but its forward never returns it; this re-hosts the same
    /// children under the same names and runs torchvision's forward, exposing the auxiliary logits in training.
    /// </summary>
    private sealed class InceptionV3WithAuxiliary : nn.Module<Tensor, Tensor>, IAuxiliaryClassifier
    {
        private static readonly string[] Stem = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2",
            "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"];
        private static readonly string[] Tail = ["Mixed_7a", "Mixed_7b", "Mixed_7c", "avgpool", "dropout"];

        private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _children;

        public InceptionV3WithAuxiliary(int outputs) : base("InceptionV3")
        {
            // The donor is not disposed: that would dispose the children this module now owns.
            var donor = inception_v3(num_classes: outputs);
            _children = donor.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
            foreach (var (name, child) in _children) register_module(name, child);
        }

        public override Tensor forward(Tensor input) => Classify(Features(input));

        /// <summary>The auxiliary classifier needs Mixed_6e at 17×17 or more, i.e. inputs of at least 299 px; below that it is left out.</summary>
        public (Tensor Main, Tensor? Auxiliary) ForwardWithAuxiliary(Tensor input)
        {
            var features = Features(input);
            var auxiliary = features.shape[^1] >= 17 ? _children["AuxLogits"].call(features) : null;
            return (Classify(features), auxiliary);
        }

        private Tensor Features(Tensor x) => Stem.Aggregate(x, (current, name) => _children[name].call(current));

        private Tensor Classify(Tensor mixed6e) =>
            _children["fc"].call(torch.flatten(Tail.Aggregate(mixed6e, (current, name) => _children[name].call(current)), 1));
    }
}
