using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's Swin Transformer, V1 and V2: <c>features</c> = a 4×4 patch embedding (conv, channels-last, LayerNorm), four
/// stages of shifted-window blocks with patch merging between them; then <c>norm</c>, global average and <c>head</c>. The
/// windows are padded where the feature map does not divide into them and shifts are dropped where one window covers the
/// map, as torchvision does, so any image size of 32 px or more runs. Attention runs through libtorch's fused
/// scaled_dot_product_attention, with the relative position bias (and the shifted windows' mask) as its additive mask.
/// V2 (<see cref="SwinConfig.V2"/>): cosine attention with a learnt, clamped logit scale, a continuous position bias from
/// a small MLP (<c>cpb_mlp</c>), post-norm blocks and merging that normalises after the reduction.
/// </summary>
internal sealed class SwinTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public SwinTransformer(SwinConfig config, int numClasses) : base(nameof(SwinTransformer))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Sequential(("0", nn.Conv2d(3, config.EmbedDim, 4, stride: 4)), ("1", new Permute(0, 2, 3, 1)), ("2", nn.LayerNorm(config.EmbedDim))),
        };
        var total = config.Depths.Sum();
        var index = 0;
        for (var s = 0; s < config.Depths.Length; s++)
        {
            var dim = config.EmbedDim << s;
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < config.Depths[s]; i++, index++)
            {
                var shift = i % 2 == 0 ? 0 : config.Window / 2;
                var depth = new StochasticDepth(index / (total - 1.0), config.DropPath);
                blocks.Add(new Block(dim, config.Heads[s], config.Window, shift, config.V2, depth));
            }
            layers.Add(Conv2dNormActivation.Numbered(blocks));
            if (s < config.Depths.Length - 1) layers.Add(new PatchMerging(dim, config.V2));
        }
        features = Conv2dNormActivation.Numbered(layers);
        var width = config.EmbedDim << (config.Depths.Length - 1);
        norm = nn.LayerNorm(width);
        head = nn.Linear(width, numClasses);
        RegisterComponents();
        // torchvision's init, over every Linear (the blocks' MLPs and V2's cpb_mlp included).
        foreach (var linear in modules().OfType<Linear>())
        {
            TruncatedNormal.Fill(linear.weight!, 0.02);
            if (linear.bias is not null) nn.init.zeros_(linear.bias);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = norm.call(features.call(input)); // [n, h, w, c]
        return head.call(x.mean([1, 2])).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's <c>_patch_merging_pad</c>, then V1: LayerNorm over 4C, Linear to 2C; V2: Linear to 2C, LayerNorm over 2C.
    /// </summary>
    private sealed class PatchMerging : nn.Module<Tensor, Tensor>
    {
        private readonly Linear reduction;
        private readonly LayerNorm norm;
        private readonly bool _v2;

        public PatchMerging(long dim, bool v2) : base(nameof(PatchMerging))
        {
            _v2 = v2;
            reduction = nn.Linear(4 * dim, 2 * dim, hasBias: false);
            norm = nn.LayerNorm(v2 ? 2 * dim : 4 * dim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var (h, w) = (input.shape[1], input.shape[2]);
            var x = nn.functional.pad(input, [0, 0, 0, w % 2, 0, h % 2]);
            var (ph, pw) = (x.shape[1], x.shape[2]);
            Tensor Quarter(long row, long column) => x.slice(1, row, ph, 2).slice(2, column, pw, 2);
            x = torch.cat([Quarter(0, 0), Quarter(1, 0), Quarter(0, 1), Quarter(1, 1)], -1);
            var result = _v2 ? norm.call(reduction.call(x)) : reduction.call(norm.call(x));
            return result.MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// V1: x + drop(attn(norm1(x))), then x + drop(mlp(norm2(x))). V2: x + drop(norm1(attn(x))), then x + drop(norm2(mlp(x))).
    /// <c>mlp</c> = Linear "0", GELU, Dropout, Linear "3", Dropout (torchvision's ops.MLP).
    /// </summary>
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly WindowAttention attn;
        private readonly StochasticDepth stochastic_depth;
        private readonly LayerNorm norm2;
        private readonly Sequential mlp;
        private readonly bool _v2;

        public Block(long dim, int heads, int window, int shift, bool v2, StochasticDepth depth) : base(nameof(Block))
        {
            _v2 = v2;
            norm1 = nn.LayerNorm(dim);
            attn = new WindowAttention(dim, heads, window, shift, v2);
            stochastic_depth = depth;
            norm2 = nn.LayerNorm(dim);
            mlp = nn.Sequential(("0", nn.Linear(dim, 4 * dim)), ("1", nn.GELU()), ("2", nn.Dropout(0)), ("3", nn.Linear(4 * dim, dim)),
                ("4", nn.Dropout(0)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = input + stochastic_depth.call(_v2 ? norm1.call(attn.call(input)) : attn.call(norm1.call(input)));
            x = x + stochastic_depth.call(_v2 ? norm2.call(mlp.call(x)) : mlp.call(norm2.call(x)));
            return x.MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// torchvision's <c>shifted_window_attention</c> on [n, h, w, c]: pad to whole windows, roll by −shift, attend within each
    /// window with the relative position bias (plus −100 between tokens from different regions of a shifted window), roll
    /// back and crop. V1 keeps <c>relative_position_bias_table</c>; V2 computes the table with <c>cpb_mlp</c> from the
    /// log-spaced <c>relative_coords_table</c> and squashes it to 16·sigmoid.
    /// </summary>
    private sealed class WindowAttention : nn.Module<Tensor, Tensor>, IFunctionalMacs
    {
        private readonly Linear qkv;
        private readonly Linear proj;
        private readonly Parameter? relative_position_bias_table;
        private readonly Parameter? logit_scale;
        private readonly Sequential? cpb_mlp;
        private readonly Tensor? relative_coords_table;
        private readonly Tensor relative_position_index;
        private readonly int _heads;
        private readonly int _window;
        private readonly int _shift;

        public WindowAttention(long dim, int heads, int window, int shift, bool v2) : base(nameof(WindowAttention))
        {
            (_heads, _window, _shift) = (heads, window, shift);
            qkv = nn.Linear(dim, 3 * dim);
            proj = nn.Linear(dim, dim);
            var span = 2 * window - 1;
            if (v2)
            {
                logit_scale = new Parameter(torch.full([heads, 1, 1], Math.Log(10), ScalarType.Float32));
                cpb_mlp = nn.Sequential(("0", nn.Linear(2, 512)), ("1", nn.ReLU()), ("2", nn.Linear(512, heads, hasBias: false)));
                relative_coords_table = CoordinatesTable(window);
            }
            else
            {
                relative_position_bias_table = new Parameter(torch.zeros(span * span, heads));
                TruncatedNormal.Fill(relative_position_bias_table, 0.02);
            }
            relative_position_index = RelativePositionIndex.Of(window).flatten();
            RegisterComponents();
        }

        /// <summary>The [1, heads, w², w²] bias added to every window's attention scores.</summary>
        private Tensor PositionBias()
        {
            var tokens = _window * _window;
            var table = cpb_mlp is null ? relative_position_bias_table! : cpb_mlp.call(relative_coords_table!).view(-1, _heads);
            var bias = table.index_select(0, relative_position_index).view(tokens, tokens, -1).permute(2, 0, 1).unsqueeze(0);
            return cpb_mlp is null ? bias : 16 * bias.sigmoid();
        }

        /// <summary>The qkv projection (applied functionally) and scores and weighted values over every (padded) window.</summary>
        public long FunctionalMacs(Tensor input, Tensor output)
        {
            var (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
            long size = _window;
            var windows = (h + size - 1) / size * ((w + size - 1) / size);
            var tokens = size * size;
            return n * windows * tokens * (3 * c * c + 2 * tokens * c);
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
            long size = _window;
            var x = nn.functional.pad(input, [0, 0, 0, (size - w % size) % size, 0, (size - h % size) % size]);
            var (ph, pw) = (x.shape[1], x.shape[2]);
            var shiftH = size >= ph ? 0 : _shift;
            var shiftW = size >= pw ? 0 : _shift;
            var shifted = shiftH + shiftW > 0;
            if (shifted) x = x.roll([-shiftH, -shiftW], [1, 2]);
            var (rows, columns) = (ph / size, pw / size);
            var windows = rows * columns;
            var tokens = size * size;
            x = x.view(n, rows, size, columns, size, c).permute(0, 1, 3, 2, 4, 5).reshape(n * windows, tokens, c);

            Tensor bias = qkv.bias!;
            // V2 has no key bias (torchvision zeroes it in every forward, whatever the parameter holds).
            if (logit_scale is not null) bias = torch.cat([bias.narrow(0, 0, c), torch.zeros_like(bias.narrow(0, c, c)), bias.narrow(0, 2 * c, c)]);
            var headDim = c / _heads;
            var projected = nn.functional.linear(x, qkv.weight!, bias).reshape(n * windows, tokens, 3, _heads, headDim).permute(2, 0, 3, 1, 4);
            var (q, k, v) = (projected[0], projected[1], projected[2]);
            if (logit_scale is not null)
            {
                // Cosine attention: SDPA divides by √d, so the scale is multiplied in by √d.
                var scale = logit_scale.clamp(max: Math.Log(100)).exp() * Math.Sqrt(headDim);
                q = nn.functional.normalize(q, dim: -1) * scale;
                k = nn.functional.normalize(k, dim: -1);
            }
            var mask = PositionBias(); // [1, heads, t, t]
            if (shifted) mask = mask + RegionMask(ph, pw, shiftH, shiftW).unsqueeze(1); // [windows, heads, t, t]
            Tensor PerImage(Tensor t) => t.reshape(n, windows * _heads, tokens, headDim);
            var attended = nn.functional.scaled_dot_product_attention(PerImage(q), PerImage(k), PerImage(v),
                mask.expand(windows, _heads, tokens, tokens).reshape(1, windows * _heads, tokens, tokens));
            x = attended.reshape(n * windows, _heads, tokens, headDim).transpose(1, 2).reshape(n * windows, tokens, c);
            x = proj.call(x).view(n, rows, columns, size, size, c).permute(0, 1, 3, 2, 4, 5).reshape(n, ph, pw, c);
            if (shifted) x = x.roll([shiftH, shiftW], [1, 2]);
            return x.narrow(1, 0, h).narrow(2, 0, w).contiguous().MoveToOuterDisposeScope();
        }

        /// <summary>
        /// [windows, t, t]: 0 between tokens of the same region of the rolled map, −100 between regions (torchvision's
        /// attn_mask: the three row bands × three column bands the roll brings together).
        /// </summary>
        private Tensor RegionMask(long ph, long pw, long shiftH, long shiftW)
        {
            var labels = new float[ph * pw];
            long Band(long i, long length, long shift) => i < length - _window ? 0 : i < length - shift ? 1 : 2;
            for (long i = 0; i < ph; i++)
                for (long j = 0; j < pw; j++)
                    labels[i * pw + j] = Band(i, ph, shiftH) * 3 + Band(j, pw, shiftW);
            var (rows, columns, size) = (ph / _window, pw / _window, (long)_window);
            var regions = torch.tensor(labels).view(rows, size, columns, size).permute(0, 2, 1, 3).reshape(rows * columns, size * size);
            var difference = regions.unsqueeze(1) - regions.unsqueeze(2);
            return torch.where(difference != 0, torch.tensor(-100f), torch.tensor(0f)).to(relative_position_index.device);
        }

        /// <summary>V2's [1, 2w − 1, 2w − 1, 2] relative offsets, scaled to ±8 and log-spaced: sign(x)·log2(|x| + 1) / 3.</summary>
        private static Tensor CoordinatesTable(int window)
        {
            var span = 2 * window - 1;
            var table = new float[span * span * 2];
            for (var i = 0; i < span; i++)
                for (var j = 0; j < span; j++)
                {
                    float Log(float x) => MathF.Sign(x) * MathF.Log2(MathF.Abs(x) + 1f) / 3f;
                    table[(i * span + j) * 2] = Log((i - (window - 1)) / (float)(window - 1) * 8f);
                    table[(i * span + j) * 2 + 1] = Log((j - (window - 1)) / (float)(window - 1) * 8f);
                }
            return torch.tensor(table).view(1, span, span, 2);
        }
    }
}
