using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's MaxViT: <c>stem</c> (3×3/2 conv, BN, GELU; 3×3 conv), four <c>blocks</c> of MaxViT layers (an MBConv that
/// halves the resolution in the first layer, then window attention over 7×7 windows and grid attention over a 7×7 grid
/// dilated across the map), and <c>classifier</c> = pool, flatten, LayerNorm, Linear, Tanh, Linear (no bias). Every stage's
/// map must divide into 7×7 partitions (<see cref="AcceptsImageSize"/>: 224, 448, … px). Attention runs through libtorch's
/// fused scaled_dot_product_attention with the relative position bias as its additive mask.
/// </summary>
internal sealed class MaxViT : nn.Module<Tensor, Tensor>
{
    private const int Partition = 7;

    private readonly Sequential stem;
    private readonly ModuleList<Sequential> blocks;
    private readonly Sequential classifier;

    public MaxViT(long stemChannels, long[] channels, int[] layers, int headDim, double dropPath, int numClasses) : base(nameof(MaxViT))
    {
        var norm = Conv2dNormActivation.BatchNorm(eps: 1e-3, momentum: 0.99);
        stem = nn.Sequential(
            ("0", Conv2dNormActivation.Create(3, stemChannels, 3, stride: 2, norm: norm, activation: () => nn.GELU())),
            ("1", Conv2dNormActivation.Create(stemChannels, stemChannels, 3, bias: true)));
        blocks = new ModuleList<Sequential>();
        var total = layers.Sum();
        var index = 0;
        var input = stemChannels;
        for (var b = 0; b < channels.Length; b++)
        {
            var stage = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < layers[b]; i++, index++)
            {
                // torchvision's np.linspace(0, rate, total): the first layer gets 0, the last the full rate.
                var fraction = total == 1 ? 0 : index / (total - 1.0);
                stage.Add(new Layer(i == 0 ? input : channels[b], channels[b], i == 0 ? 2 : 1, headDim, norm, fraction, dropPath));
            }
            blocks.Add(nn.Sequential(("layers", Conv2dNormActivation.Numbered(stage))));
            input = channels[b];
        }
        classifier = nn.Sequential(
            ("0", nn.AdaptiveAvgPool2d(1)),
            ("1", nn.Flatten()),
            ("2", nn.LayerNorm(channels[^1])),
            ("3", nn.Linear(channels[^1], channels[^1])),
            ("4", nn.Tanh()),
            ("5", nn.Linear(channels[^1], numClasses, hasBias: false)));
        RegisterComponents();
        foreach (var module in modules())
        {
            if (module is Conv2d conv) InitWeight(conv.weight!, conv.bias);
            else if (module is Linear linear) InitWeight(linear.weight!, linear.bias);
        }
    }

    /// <summary>torchvision's init: normal (std 0.02) weights, zero biases, for every convolution and Linear.</summary>
    private static void InitWeight(Tensor weight, Tensor? bias)
    {
        nn.init.normal_(weight, std: 0.02);
        if (bias is not null) nn.init.zeros_(bias);
    }

    /// <summary>
    /// Whether every stage's map divides into 7×7 partitions at <paramref name="size"/> (torchvision's input-size check: the stem and
    /// each stage halve the map with a 3×3/2, padding 1).
    /// </summary>
    public static bool AcceptsImageSize(int size, int stages = 4)
    {
        var map = (size - 1) / 2 + 1;
        for (var s = 0; s < stages; s++)
        {
            map = (map - 1) / 2 + 1;
            if (map % Partition != 0) return false;
        }
        return true;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = stem.call(input);
        foreach (var block in blocks) x = block.call(x);
        return classifier.call(x).MoveToOuterDisposeScope();
    }

    /// <summary><c>layers</c> = <c>MBconv</c>, <c>window_attention</c>, <c>grid_attention</c>.</summary>
    private sealed class Layer : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential layers;

        public Layer(long input, long output, long stride, int headDim, Func<long, nn.Module<Tensor, Tensor>> norm, double fraction, double rate)
            : base(nameof(Layer))
        {
            layers = nn.Sequential(
                ("MBconv", new MBConv(input, output, stride, norm, new StochasticDepth(fraction, rate))),
                ("window_attention", new PartitionAttention(output, headDim, grid: false, new StochasticDepth(fraction, rate))),
                ("grid_attention", new PartitionAttention(output, headDim, grid: true, new StochasticDepth(fraction, rate))));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => layers.call(input);
    }

    /// <summary>
    /// proj(x) + drop(layers(x)): <c>layers</c> = <c>pre_norm</c> (BN), <c>conv_a</c> (1×1 ×4, BN, GELU), <c>conv_b</c> (depthwise
    /// 3×3 with the stride, BN, GELU), <c>squeeze_excitation</c> (SiLU, a quarter of the output width), <c>conv_c</c> (1×1);
    /// <c>proj</c> = 3×3/2 average pool and 1×1 conv when the shape changes, else the identity.
    /// </summary>
    private sealed class MBConv : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential? proj;
        private readonly StochasticDepth stochastic_depth;
        private readonly Sequential layers;

        public MBConv(long input, long output, long stride, Func<long, nn.Module<Tensor, Tensor>> norm, StochasticDepth depth) : base(nameof(MBConv))
        {
            if (stride != 1 || input != output)
            {
                var conv = nn.Conv2d(input, output, 1);
                proj = stride == 2 ? nn.Sequential(("0", nn.AvgPool2d(3, stride: 2, padding: 1)), ("1", conv)) : nn.Sequential(("0", conv));
            }
            var middle = output * 4;
            stochastic_depth = depth;
            layers = nn.Sequential(
                ("pre_norm", norm(input)),
                ("conv_a", Conv2dNormActivation.Create(input, middle, 1, norm: norm, activation: () => nn.GELU())),
                ("conv_b", Conv2dNormActivation.Create(middle, middle, 3, stride: stride, groups: middle, norm: norm, activation: () => nn.GELU())),
                ("squeeze_excitation", new SqueezeExcitation(middle, output / 4)),
                ("conv_c", nn.Conv2d(middle, output, 1)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var shortcut = proj is null ? input : proj.call(input);
            return (shortcut + stochastic_depth.call(layers.call(input))).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// Partitions [n, c, h, w] into 7×7 windows (or, <c>grid</c>, a 7×7 grid of tokens h/7 apart), then x + drop(attn_layer(x))
    /// and x + drop(mlp_layer(x)) within each partition, and puts the map back together. <c>attn_layer</c> = LayerNorm,
    /// relative-position multi-head attention, Dropout; <c>mlp_layer</c> = LayerNorm, Linear ×4, GELU, Linear, Dropout.
    /// </summary>
    private sealed class PartitionAttention : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential attn_layer;
        private readonly Sequential mlp_layer;
        private readonly StochasticDepth stochastic_dropout;
        private readonly bool _grid;

        public PartitionAttention(long channels, int headDim, bool grid, StochasticDepth depth) : base(nameof(PartitionAttention))
        {
            _grid = grid;
            attn_layer = nn.Sequential(("0", nn.LayerNorm(channels)), ("1", new RelativeAttention(channels, headDim)), ("2", nn.Dropout(0)));
            mlp_layer = nn.Sequential(("0", nn.LayerNorm(channels)), ("1", nn.Linear(channels, 4 * channels)), ("2", nn.GELU()),
                ("3", nn.Linear(4 * channels, channels)), ("4", nn.Dropout(0)));
            stochastic_dropout = depth;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
            if (h % Partition != 0 || w % Partition != 0)
                throw new ArgumentException(
                    $"MaxViT needs feature maps divisible by {Partition}; got {h}×{w} (use an image size of 224, 448, … px)");
            // Window: partitions of p = 7; grid: partitions of p = h / 7, the 7 × 7 tokens of a group then lie p apart.
            var p = _grid ? h / Partition : Partition;
            var (rows, columns) = (h / p, w / p);
            var x = input.reshape(n, c, rows, p, columns, p).permute(0, 2, 4, 3, 5, 1).reshape(n, rows * columns, p * p, c);
            if (_grid) x = x.swapaxes(-2, -3);
            x = x + stochastic_dropout.call(attn_layer.call(x));
            x = x + stochastic_dropout.call(mlp_layer.call(x));
            if (_grid) x = x.swapaxes(-2, -3);
            x = x.reshape(n, rows, columns, p, p, c).permute(0, 5, 1, 3, 2, 4).reshape(n, c, rows * p, columns * p);
            return x.MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// Multi-head attention over the 49 tokens of a partition ([n, groups, 49, c]): <c>to_qkv</c>, scores scaled by 1/√c (the
    /// whole width, as torchvision does, not 1/√head_dim), plus the bias from <c>relative_position_bias_table</c>, <c>merge</c>.
    /// </summary>
    private sealed class RelativeAttention : nn.Module<Tensor, Tensor>, IFunctionalMacs
    {
        private readonly Linear to_qkv;
        private readonly Linear merge;
        private readonly Parameter relative_position_bias_table;
        private readonly Tensor relative_position_index;
        private readonly int _heads;
        private readonly int _headDim;

        public RelativeAttention(long channels, int headDim) : base(nameof(RelativeAttention))
        {
            _heads = (int)(channels / headDim);
            _headDim = headDim;
            to_qkv = nn.Linear(channels, 3 * channels);
            merge = nn.Linear(channels, channels);
            var span = 2 * Partition - 1;
            relative_position_bias_table = new Parameter(torch.empty(span * span, _heads));
            TruncatedNormal.Fill(relative_position_bias_table, 0.02);
            relative_position_index = RelativePositionIndex.Of(Partition);
            RegisterComponents();
        }

        /// <summary>Scores and weighted values within every partition (the projections are Linear children).</summary>
        public long FunctionalMacs(Tensor input, Tensor output)
        {
            var (n, groups, tokens, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
            return 2 * n * groups * tokens * tokens * c;
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var (n, groups, tokens, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
            var qkv = to_qkv.call(input).chunk(3, -1);
            Tensor Heads(Tensor t) => t.reshape(n * groups, tokens, _heads, _headDim).permute(0, 2, 1, 3);
            // SDPA divides by √head_dim; torchvision divides by √c.
            var q = Heads(qkv[0]) * Math.Sqrt((double)_headDim / c);
            var bias = relative_position_bias_table.index_select(0, relative_position_index.flatten())
                .view(tokens, tokens, _heads).permute(2, 0, 1).unsqueeze(0);
            var attended = nn.functional.scaled_dot_product_attention(q, Heads(qkv[1]), Heads(qkv[2]), bias);
            return merge.call(attended.permute(0, 2, 1, 3).reshape(n, groups, tokens, c)).MoveToOuterDisposeScope();
        }
    }
}
