using TorchSharp;
using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's DenseNet-BC: <c>features</c> = conv0/norm0/relu0/pool0, then dense blocks (<c>denseblockN</c>, each layer's
/// output concatenated onto its input) with transitions between them (<c>transitionN</c>: BN, ReLU, 1×1 conv halving the
/// channels, 2×2 average pool) and <c>norm5</c>; ReLU, global average pooling and <c>classifier</c>. State_dict keys are
/// torchvision's; the releases' older <c>norm.1</c>-style keys are renamed on import (<see cref="LegacyKey"/>).
/// </summary>
internal sealed class DenseNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear classifier;

    public DenseNet(int growthRate, int[] blockLayers, int initFeatures, int numClasses, int bottleneck = 4) : base(nameof(DenseNet))
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv0", nn.Conv2d(3, initFeatures, 7, stride: 2, padding: 3, bias: false)),
            ("norm0", nn.BatchNorm2d(initFeatures)),
            ("relu0", nn.ReLU()),
            ("pool0", nn.MaxPool2d(3, stride: 2, padding: 1)),
        };
        long channels = initFeatures;
        for (var i = 0; i < blockLayers.Length; i++)
        {
            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            layers.Add(("denseblock" + number, new DenseBlock(blockLayers[i], channels, bottleneck, growthRate)));
            channels += blockLayers[i] * growthRate;
            if (i == blockLayers.Length - 1) continue;
            layers.Add(("transition" + number, nn.Sequential(
                ("norm", nn.BatchNorm2d(channels)),
                ("relu", nn.ReLU()),
                ("conv", nn.Conv2d(channels, channels / 2, 1, bias: false)),
                ("pool", nn.AvgPool2d(2, stride: 2)))));
            channels /= 2;
        }
        layers.Add(("norm5", nn.BatchNorm2d(channels)));
        features = nn.Sequential(layers.ToArray());
        classifier = nn.Linear(channels, numClasses);
        RegisterComponents();
        foreach (var conv in modules().OfType<Conv2d>()) nn.init.kaiming_normal_(conv.weight);
    }

    /// <summary>
    /// torchvision's <c>_load_state_dict</c> rename: the DenseNet releases predate PyTorch's ban on dots in module names and
    /// say <c>denselayer1.norm.1.weight</c> where the model has <c>denselayer1.norm1.weight</c>.
    /// </summary>
    public static string LegacyKey(string key) => LegacyPattern.Replace(key, "$1$2");

    private static readonly System.Text.RegularExpressions.Regex LegacyPattern =
        new(@"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$");

    public override Tensor forward(Tensor input)
    {
        using var x = features.call(input);
        using var activated = nn.functional.relu(x);
        using var pooled = nn.functional.adaptive_avg_pool2d(activated, 1);
        using var flat = pooled.flatten(1);
        return classifier.call(flat);
    }

    /// <summary><c>denselayerN</c> layers, each reading the concatenation of the block's input and every earlier layer's output.</summary>
    private sealed class DenseBlock : nn.Module<Tensor, Tensor>
    {
        private readonly List<DenseLayer> _layers = [];

        public DenseBlock(int count, long inChannels, int bottleneck, int growthRate) : base(nameof(DenseBlock))
        {
            for (var i = 0; i < count; i++)
            {
                var layer = new DenseLayer(inChannels + i * growthRate, bottleneck * growthRate, growthRate);
                _layers.Add(layer);
                register_module($"denselayer{i + 1}", layer);
            }
        }

        public override Tensor forward(Tensor input)
        {
            var features = new List<Tensor> { input };
            using var scope = NewDisposeScope();
            foreach (var layer in _layers) features.Add(layer.call(torch.cat(features, 1)));
            return torch.cat(features, 1).MoveToOuterDisposeScope();
        }
    }

    /// <summary>BN, ReLU, 1×1 conv to the bottleneck width, BN, ReLU, 3×3 conv to <c>growthRate</c> channels.</summary>
    private sealed class DenseLayer : nn.Module<Tensor, Tensor>
    {
        private readonly BatchNorm2d norm1;
        private readonly ReLU relu1;
        private readonly Conv2d conv1;
        private readonly BatchNorm2d norm2;
        private readonly ReLU relu2;
        private readonly Conv2d conv2;

        public DenseLayer(long inChannels, long bottleneckChannels, long growthRate) : base(nameof(DenseLayer))
        {
            norm1 = nn.BatchNorm2d(inChannels);
            relu1 = nn.ReLU();
            conv1 = nn.Conv2d(inChannels, bottleneckChannels, 1, bias: false);
            norm2 = nn.BatchNorm2d(bottleneckChannels);
            relu2 = nn.ReLU();
            conv2 = nn.Conv2d(bottleneckChannels, growthRate, 3, padding: 1, bias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var bottleneck = conv1.call(relu1.call(norm1.call(input)));
            return conv2.call(relu2.call(norm2.call(bottleneck))).MoveToOuterDisposeScope();
        }
    }
}
