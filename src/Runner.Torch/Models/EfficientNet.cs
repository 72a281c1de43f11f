using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>EfficientNet B0–B7 (v1), built with torchvision's parameter names; image sizes are torchvision's eval crops.</summary>
public static class EfficientNetArchs
{
    private const string Releases = "https://download.pytorch.org/models/";

    public static readonly ArchDefinition B0 = Define("efficientnet_b0", 224, EfficientNetConfig.B0, "efficientnet_b0_rwightman-3dd342df.pth");
    public static readonly ArchDefinition B1 = Define("efficientnet_b1", 240, EfficientNetConfig.B1, "efficientnet_b1_rwightman-533bc792.pth");
    public static readonly ArchDefinition B2 = Define("efficientnet_b2", 288, EfficientNetConfig.B2, "efficientnet_b2_rwightman-bcdf34b7.pth");
    public static readonly ArchDefinition B3 = Define("efficientnet_b3", 300, EfficientNetConfig.B3, "efficientnet_b3_rwightman-cf984f9c.pth");
    public static readonly ArchDefinition B4 = Define("efficientnet_b4", 380, EfficientNetConfig.B4, "efficientnet_b4_rwightman-7eb33cd5.pth");
    public static readonly ArchDefinition B5 = Define("efficientnet_b5", 456, EfficientNetConfig.B5, "efficientnet_b5_lukemelas-b6417697.pth");
    public static readonly ArchDefinition B6 = Define("efficientnet_b6", 528, EfficientNetConfig.B6, "efficientnet_b6_lukemelas-c76e70fd.pth");
    public static readonly ArchDefinition B7 = Define("efficientnet_b7", 600, EfficientNetConfig.B7, "efficientnet_b7_lukemelas-dcc49843.pth");

    private static ArchDefinition Define(string name, int imageSize, EfficientNetConfig config, string weightsFile)
    {
        // File names end in "-<first 8 hex digits of the SHA-256>.pth".
        var sha256Prefix = Path.GetFileNameWithoutExtension(weightsFile)[^8..];
        return new ArchDefinition(name, imageSize, Normalization.ImageNet, n => new EfficientNet(config, n), "classifier.1",
            new ReleaseWeights(Releases + weightsFile, sha256Prefix));
    }
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
