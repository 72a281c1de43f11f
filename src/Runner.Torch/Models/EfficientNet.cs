using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's EfficientNet (v1): <c>features</c> = stem, seven MBConv stages and a 1×1 head conv; then global
/// average pooling and <c>classifier</c> = Dropout + Linear. State_dict keys and shapes match torchvision's.
/// </summary>
internal sealed class EfficientNet : nn.Module<Tensor, Tensor>
{
    // Field names are the state_dict names.
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    public EfficientNet(EfficientNetConfig config, long numClasses = 1000, double stochasticDepthProb = 0.2)
        : base(nameof(EfficientNet))
    {
        var stages = EfficientNetConfig.BaseStages
            .Select(s => s with
            {
                InChannels = config.Channels(s.InChannels),
                OutChannels = config.Channels(s.OutChannels),
                Repeats = config.Repeats(s.Repeats),
            })
            .ToArray();

        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            ConvNormActivation.Create(3, stages[0].InChannels, 3, config, stride: 2),
        };

        // The stochastic-depth probability grows linearly with the block's index over the whole network.
        var totalBlocks = stages.Sum(s => s.Repeats);
        var blockIndex = 0;
        foreach (var stage in stages)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < stage.Repeats; i++, blockIndex++)
            {
                var first = i == 0;
                blocks.Add(new MBConv(
                    inChannels: first ? stage.InChannels : stage.OutChannels,
                    outChannels: stage.OutChannels,
                    expandRatio: stage.ExpandRatio,
                    kernel: stage.Kernel,
                    stride: first ? stage.Stride : 1,
                    stochasticDepthProb: stochasticDepthProb * blockIndex / totalBlocks,
                    config));
            }
            layers.Add(Numbered(blocks));
        }

        var lastStageChannels = stages[^1].OutChannels;
        NumFeatures = 4 * lastStageChannels;
        NumClasses = numClasses;
        layers.Add(ConvNormActivation.Create(lastStageChannels, NumFeatures, 1, config));

        features = Numbered(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Sequential(("0", nn.Dropout(config.Dropout)), ("1", nn.Linear(NumFeatures, numClasses)));

        RegisterComponents();
        InitWeights();
    }

    /// <summary>Channels entering the classifier (1280 for B0).</summary>
    public long NumFeatures { get; }

    public long NumClasses { get; }

    public override Tensor forward(Tensor input)
    {
        var x = features.call(input);
        x = avgpool.call(x);
        x = x.flatten(1);
        return classifier.call(x);
    }

    private static Sequential Numbered(IEnumerable<nn.Module<Tensor, Tensor>> modules) =>
        nn.Sequential(modules.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m)).ToArray());

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

    /// <summary>torchvision's <c>Conv2dNormActivation</c>: bias-free conv ("0"), BatchNorm ("1"), optional SiLU ("2").</summary>
    internal static class ConvNormActivation
    {
        public static Sequential Create(
            long inChannels, long outChannels, long kernel, EfficientNetConfig config,
            long stride = 1, long groups = 1, bool activation = true)
        {
            var conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false);
            var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("0", conv), ("1", config.Norm(outChannels)) };
            if (activation) layers.Add(("2", nn.SiLU()));
            return nn.Sequential(layers.ToArray());
        }
    }

    /// <summary>
    /// Mobile inverted bottleneck: optional 1×1 expansion, depthwise k×k conv, squeeze-and-excitation, linear 1×1
    /// projection; an identity shortcut (through stochastic depth) when the shape is unchanged.
    /// </summary>
    internal sealed class MBConv : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential block;
        private readonly StochasticDepth stochastic_depth;
        private readonly bool useResidual;

        public MBConv(
            long inChannels, long outChannels, int expandRatio, long kernel, long stride,
            double stochasticDepthProb, EfficientNetConfig config)
            : base(nameof(MBConv))
        {
            if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be 1 or 2");
            useResidual = stride == 1 && inChannels == outChannels;

            var expanded = EfficientNetConfig.MakeDivisible(inChannels * (double)expandRatio);
            var layers = new List<nn.Module<Tensor, Tensor>>();
            if (expanded != inChannels)
                layers.Add(ConvNormActivation.Create(inChannels, expanded, 1, config));
            layers.Add(ConvNormActivation.Create(expanded, expanded, kernel, config, stride: stride, groups: expanded));
            // The squeeze width follows the block's input channels, not the expanded ones.
            layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inChannels / 4)));
            layers.Add(ConvNormActivation.Create(expanded, outChannels, 1, config, activation: false));

            block = Numbered(layers);
            stochastic_depth = new StochasticDepth(stochasticDepthProb);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var result = block.call(input);
            return useResidual ? stochastic_depth.call(result) + input : result;
        }
    }

    /// <summary>Squeeze-and-excitation: channel gates from global pooling → 1×1 conv → SiLU → 1×1 conv → sigmoid.</summary>
    internal sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d fc1;
        private readonly Conv2d fc2;

        public SqueezeExcitation(long channels, long squeezeChannels) : base(nameof(SqueezeExcitation))
        {
            fc1 = nn.Conv2d(channels, squeezeChannels, 1);
            fc2 = nn.Conv2d(squeezeChannels, channels, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var pooled = nn.functional.adaptive_avg_pool2d(input, 1);
            using var squeezed = fc1.call(pooled);
            using var activated = nn.functional.silu(squeezed);
            using var excited = fc2.call(activated);
            using var scale = excited.sigmoid();
            return scale * input;
        }
    }

    /// <summary>
    /// torchvision's <c>StochasticDepth(p, "row")</c>: in training, zeroes each sample's residual branch with probability
    /// p and scales survivors by 1/(1−p); the identity in eval.
    /// </summary>
    internal sealed class StochasticDepth(double p) : nn.Module<Tensor, Tensor>(nameof(StochasticDepth))
    {
        public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "must be in [0, 1]");

        public override Tensor forward(Tensor input)
        {
            if (!training || P == 0) return input;

            var survival = 1 - P;
            var shape = new long[input.dim()];
            Array.Fill(shape, 1L);
            shape[0] = input.shape[0];
            using var mask = torch.empty(shape, dtype: input.dtype, device: input.device);
            mask.bernoulli_(survival);
            if (survival > 0) mask.div_(survival);
            return input * mask;
        }
    }
}
