using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>EfficientNet B0–B7 (v1), built with torchvision's parameter names; image sizes are torchvision's eval crops.</summary>
public static class EfficientNetArchs
{
    private const string Releases = "https://download.pytorch.org/models/";

    // torchvision's IMAGENET1K_V1 files under the names torchvision renamed them to (pytorch/vision#8036, after #7744):
    // each name's suffix is the start of the file's SHA-256. The full digests of B0 and B2–B7 are stated in
    // https://github.com/pytorch/vision/issues/7744#issuecomment-1754154799; B1's only by its name.
    public static readonly ArchDefinition B0 = Define("efficientnet_b0", 224, EfficientNetConfig.B0,
        ReleaseWeights.Pinned(Releases + "efficientnet_b0_rwightman-7f5810bc.pth", "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934"));
    public static readonly ArchDefinition B1 = Define("efficientnet_b1", 240, EfficientNetConfig.B1,
        ReleaseWeights.HubSuffix(Releases + "efficientnet_b1_rwightman-bac287d4.pth"));
    public static readonly ArchDefinition B2 = Define("efficientnet_b2", 288, EfficientNetConfig.B2,
        ReleaseWeights.Pinned(Releases + "efficientnet_b2_rwightman-c35c1473.pth", "c35c147384e385a5bab5a8eabdabbe5a3df0487ee4a554108626ae474a5bf755"));
    public static readonly ArchDefinition B3 = Define("efficientnet_b3", 300, EfficientNetConfig.B3,
        ReleaseWeights.Pinned(Releases + "efficientnet_b3_rwightman-b3899882.pth", "b3899882250c22946d0229d266049fcd133c169233530b36b9ffa7983988362f"));
    public static readonly ArchDefinition B4 = Define("efficientnet_b4", 380, EfficientNetConfig.B4,
        ReleaseWeights.Pinned(Releases + "efficientnet_b4_rwightman-23ab8bcd.pth", "23ab8bcd5bdbef61a7a43b91adcad81f622fd7f36fb4935a569828d77888c44e"));
    public static readonly ArchDefinition B5 = Define("efficientnet_b5", 456, EfficientNetConfig.B5,
        ReleaseWeights.Pinned(Releases + "efficientnet_b5_lukemelas-1a07897c.pth", "1a07897c0d357db7981640f6be44a63420f11deb932344a69768b62ebe272946"));
    public static readonly ArchDefinition B6 = Define("efficientnet_b6", 528, EfficientNetConfig.B6,
        ReleaseWeights.Pinned(Releases + "efficientnet_b6_lukemelas-24a108a5.pth", "24a108a596a00ad522bdfb9a2d98a9bd31819dfd7e37dd96bad6bb5bc00d6015"));
    public static readonly ArchDefinition B7 = Define("efficientnet_b7", 600, EfficientNetConfig.B7,
        ReleaseWeights.Pinned(Releases + "efficientnet_b7_lukemelas-c5b4e57e.pth", "c5b4e57e0da1a10bb4f8a5b410dd3b7b6e7461f9b757209be29409707c3d87dd"));

    private static ArchDefinition Define(string name, int imageSize, EfficientNetConfig config, ReleaseWeights release) =>
        new(name, imageSize, Normalization.ImageNet, n => new EfficientNet(config, n), "classifier.1", release) { BlockCount = 9 };
}

/// <summary>
/// Compound scaling of one EfficientNet variant: channel (width) and repeat (depth) multipliers, classifier dropout,
/// and the BatchNorm settings (B5–B7 were ported from TensorFlow weights and use eps 1e-3, momentum 0.01).
/// </summary>
public sealed record EfficientNetConfig(
    double WidthMultiplier,
    double DepthMultiplier,
    double Dropout,
    double BatchNormEps = 1e-5,
    double BatchNormMomentum = 0.1)
{
    public static readonly EfficientNetConfig B0 = new(1.0, 1.0, 0.2);
    public static readonly EfficientNetConfig B1 = new(1.0, 1.1, 0.2);
    public static readonly EfficientNetConfig B2 = new(1.1, 1.2, 0.3);
    public static readonly EfficientNetConfig B3 = new(1.2, 1.4, 0.3);
    public static readonly EfficientNetConfig B4 = new(1.4, 1.8, 0.4);
    public static readonly EfficientNetConfig B5 = new(1.6, 2.2, 0.4, 1e-3, 0.01);
    public static readonly EfficientNetConfig B6 = new(1.8, 2.6, 0.5, 1e-3, 0.01);
    public static readonly EfficientNetConfig B7 = new(2.0, 3.1, 0.5, 1e-3, 0.01);

    /// <summary>B0's stages (EfficientNet paper, table 1), before width and depth scaling.</summary>
    internal static readonly StageSpec[] BaseStages =
    [
        new(ExpandRatio: 1, Kernel: 3, Stride: 1, InChannels: 32, OutChannels: 16, Repeats: 1),
        new(ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 16, OutChannels: 24, Repeats: 2),
        new(ExpandRatio: 6, Kernel: 5, Stride: 2, InChannels: 24, OutChannels: 40, Repeats: 2),
        new(ExpandRatio: 6, Kernel: 3, Stride: 2, InChannels: 40, OutChannels: 80, Repeats: 3),
        new(ExpandRatio: 6, Kernel: 5, Stride: 1, InChannels: 80, OutChannels: 112, Repeats: 3),
        new(ExpandRatio: 6, Kernel: 5, Stride: 2, InChannels: 112, OutChannels: 192, Repeats: 4),
        new(ExpandRatio: 6, Kernel: 3, Stride: 1, InChannels: 192, OutChannels: 320, Repeats: 1),
    ];

    internal sealed record StageSpec(int ExpandRatio, int Kernel, int Stride, long InChannels, long OutChannels, int Repeats);

    internal long Channels(long channels) => MakeDivisible(channels * WidthMultiplier);

    internal int Repeats(int repeats) => (int)Math.Ceiling(repeats * DepthMultiplier);

    internal BatchNorm2d Norm(long channels) => nn.BatchNorm2d(channels, eps: BatchNormEps, momentum: BatchNormMomentum);

    /// <summary>torchvision's <c>_make_divisible(v, 8)</c>: nearest multiple of 8, at least 8, never more than 10% below v.</summary>
    internal static long MakeDivisible(double value, long divisor = 8)
    {
        var rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}

/// <summary>
/// torchvision's EfficientNet (v1): <c>features</c> = stem, seven MBConv stages and a 1×1 head conv; then global
/// average pooling and <c>classifier</c> = Dropout + Linear. State_dict keys and shapes match torchvision's.
/// </summary>
public sealed class EfficientNet : nn.Module<Tensor, Tensor>
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
        nn.Sequential(modules.Select((m, i) => (i.ToString(), m)).ToArray());

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
