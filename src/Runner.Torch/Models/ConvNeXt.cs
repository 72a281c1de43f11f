using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's ConvNeXt: <c>features</c> = a 4×4/4 patchify stem with LayerNorm2d, then four stages of CNBlocks with a
/// downsampling layer (LayerNorm2d, 2×2/2 conv) between them; global average, <c>classifier</c> = LayerNorm2d, Flatten, Linear.
/// </summary>
internal sealed class ConvNeXt : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <param name="channels">the four stages' widths.</param>
    /// <param name="depths">the four stages' block counts.</param>
    public ConvNeXt(long[] channels, int[] depths, double dropPath, int numClasses) : base(nameof(ConvNeXt))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Conv2dNormActivation.Create(3, channels[0], 4, stride: 4, padding: 0, bias: true, norm: c => new LayerNorm2d(c)),
        };
        var total = depths.Sum();
        var index = 0;
        for (var s = 0; s < depths.Length; s++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < depths[s]; i++, index++)
                blocks.Add(new CNBlock(channels[s], new StochasticDepth(index / (total - 1.0), dropPath)));
            layers.Add(Conv2dNormActivation.Numbered(blocks));
            if (s < depths.Length - 1)
                layers.Add(nn.Sequential(("0", new LayerNorm2d(channels[s])), ("1", nn.Conv2d(channels[s], channels[s + 1], 2, stride: 2))));
        }
        features = Conv2dNormActivation.Numbered(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Sequential(("0", new LayerNorm2d(channels[^1])), ("1", nn.Flatten(1)), ("2", nn.Linear(channels[^1], numClasses)));
        RegisterComponents();
        foreach (var module in modules())
        {
            if (module is Conv2d conv) InitWeight(conv.weight!, conv.bias);
            else if (module is Linear linear) InitWeight(linear.weight!, linear.bias);
        }
    }

    /// <summary>torchvision's init: truncated normal (std 0.02) weights, zero biases.</summary>
    private static void InitWeight(Tensor weight, Tensor? bias)
    {
        TruncatedNormal.Fill(weight, 0.02);
        if (bias is not null) nn.init.zeros_(bias);
    }

    public override Tensor forward(Tensor input)
    {
        using var x = features.call(input);
        using var pooled = avgpool.call(x);
        return classifier.call(pooled);
    }

    /// <summary>
    /// Depthwise 7×7 conv, then channels-last LayerNorm (eps 1e-6), Linear ×4, GELU, Linear back (<c>block</c> "0", "2", "3",
    /// "5"), scaled per channel by <c>layer_scale</c> and added to the input through stochastic depth.
    /// </summary>
    private sealed class CNBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential block;
        private readonly Parameter layer_scale;
        private readonly StochasticDepth stochastic_depth;

        public CNBlock(long dim, StochasticDepth depth) : base(nameof(CNBlock))
        {
            block = nn.Sequential(
                ("0", nn.Conv2d(dim, dim, 7, padding: 3, groups: dim)),
                ("1", new Permute(0, 2, 3, 1)),
                ("2", nn.LayerNorm(dim, eps: 1e-6)),
                ("3", nn.Linear(dim, 4 * dim)),
                ("4", nn.GELU()),
                ("5", nn.Linear(4 * dim, dim)),
                ("6", new Permute(0, 3, 1, 2)));
            layer_scale = new Parameter(torch.full([dim, 1, 1], 1e-6, ScalarType.Float32));
            stochastic_depth = depth;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return (stochastic_depth.call(layer_scale * block.call(input)) + input).MoveToOuterDisposeScope();
        }
    }
}
