using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's EfficientNet (v1 and v2): <c>features</c> = stem, the MBConv / FusedMBConv stages and a 1×1 head conv; then
/// global average pooling and <c>classifier</c> = Dropout + Linear. State_dict keys and shapes match torchvision's.
/// </summary>
internal sealed class EfficientNet : nn.Module<Tensor, Tensor>
{
    /// <summary>torchvision's <c>stochastic_depth_prob</c> default for every EfficientNet.</summary>
    public const double DefaultDropPath = 0.2;

    // Field names are the state_dict names.
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    public EfficientNet(EfficientNetConfig config, long numClasses = 1000) : base(nameof(EfficientNet))
    {
        var stages = config.Stages;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Conv2dNormActivation.Create(3, stages[0].InChannels, 3, stride: 2, norm: config.Norm, activation: nn.SiLU),
        };

        // The stochastic-depth probability grows linearly with the block's index over the whole network.
        var totalBlocks = stages.Sum(s => s.Repeats);
        var blockIndex = 0;
        foreach (var stage in stages)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < stage.Repeats; i++, blockIndex++)
            {
                var inChannels = i == 0 ? stage.InChannels : stage.OutChannels;
                var stride = i == 0 ? stage.Stride : 1;
                var depth = new StochasticDepth((double)blockIndex / totalBlocks, DefaultDropPath);
                blocks.Add(stage.Fused
                    ? FusedMBConv(inChannels, stage.OutChannels, stage.ExpandRatio, stage.Kernel, stride, depth, config)
                    : MBConv(inChannels, stage.OutChannels, stage.ExpandRatio, stage.Kernel, stride, depth, config));
            }
            layers.Add(Conv2dNormActivation.Numbered(blocks));
        }

        NumFeatures = config.LastChannels;
        layers.Add(Conv2dNormActivation.Create(stages[^1].OutChannels, NumFeatures, 1, norm: config.Norm, activation: nn.SiLU));

        features = Conv2dNormActivation.Numbered(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Sequential(("0", nn.Dropout(config.Dropout)), ("1", nn.Linear(NumFeatures, numClasses)));

        RegisterComponents();
        InitWeights();
    }

    /// <summary>Channels entering the classifier (1280 for B0 and the V2s).</summary>
    public long NumFeatures { get; }

    public override Tensor forward(Tensor input)
    {
        using var x = features.call(input);
        using var pooled = avgpool.call(x);
        using var flat = pooled.flatten(1);
        return classifier.call(flat);
    }

    private void InitWeights()
    {
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
                case Linear linear:
                    var range = 1.0 / Math.Sqrt(linear.weight.shape[0]);
                    nn.init.uniform_(linear.weight, -range, range);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
            }
        }
    }

    /// <summary>
    /// Mobile inverted bottleneck: optional 1×1 expansion, depthwise k×k conv, squeeze-and-excitation, linear 1×1
    /// projection.
    /// </summary>
    private static ResidualBlock MBConv(long inChannels, long outChannels, int expandRatio, long kernel, long stride, StochasticDepth depth,
        EfficientNetConfig config)
    {
        var expanded = EfficientNetConfig.MakeDivisible(inChannels * (double)expandRatio);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expanded != inChannels)
            layers.Add(Conv2dNormActivation.Create(inChannels, expanded, 1, norm: config.Norm, activation: nn.SiLU));
        layers.Add(Conv2dNormActivation.Create(expanded, expanded, kernel, stride: stride, groups: expanded, norm: config.Norm,
            activation: nn.SiLU));
        // The squeeze width follows the block's input channels, not the expanded ones.
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inChannels / 4)));
        layers.Add(Conv2dNormActivation.Create(expanded, outChannels, 1, norm: config.Norm));
        return new ResidualBlock(nameof(MBConv), layers, stride == 1 && inChannels == outChannels, depth);
    }

    /// <summary>
    /// EfficientNetV2's fused block: one k×k convolution that expands (then a linear 1×1 projection), or, without expansion,
    /// the k×k convolution alone.
    /// </summary>
    private static ResidualBlock FusedMBConv(long inChannels, long outChannels, int expandRatio, long kernel, long stride,
        StochasticDepth depth, EfficientNetConfig config)
    {
        var expanded = EfficientNetConfig.MakeDivisible(inChannels * (double)expandRatio);
        List<nn.Module<Tensor, Tensor>> layers = expanded != inChannels
            ?
            [
                Conv2dNormActivation.Create(inChannels, expanded, kernel, stride: stride, norm: config.Norm, activation: nn.SiLU),
                Conv2dNormActivation.Create(expanded, outChannels, 1, norm: config.Norm),
            ]
            : [Conv2dNormActivation.Create(inChannels, outChannels, kernel, stride: stride, norm: config.Norm, activation: nn.SiLU)];
        return new ResidualBlock(nameof(FusedMBConv), layers, stride == 1 && inChannels == outChannels, depth);
    }

    /// <summary>A block's layers (as <c>block.N</c>), with an identity shortcut through stochastic depth when the shape is unchanged.</summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential block;
        private readonly StochasticDepth stochastic_depth;
        private readonly bool _residual;

        public ResidualBlock(string name, List<nn.Module<Tensor, Tensor>> layers, bool residual, StochasticDepth depth) : base(name)
        {
            block = Conv2dNormActivation.Numbered(layers);
            stochastic_depth = depth;
            _residual = residual;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var result = block.call(input);
            if (!_residual) return result;
            using (result)
            using (var dropped = stochastic_depth.call(result))
                return dropped + input;
        }
    }
}
