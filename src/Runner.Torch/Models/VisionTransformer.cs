using TorchSharp;
using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's ViT: <c>conv_proj</c> cuts the image into patches, a <c>class_token</c> is prepended, <c>encoder</c> adds
/// <c>pos_embedding</c> (one entry per patch of the image size the model is built for, plus the class token) and runs
/// pre-norm blocks <c>encoder_layer_N</c> (LayerNorm, multi-head self-attention, LayerNorm, MLP) and a final <c>ln</c>;
/// <c>heads.head</c> classifies the class token. Attention runs through libtorch's fused scaled_dot_product_attention.
/// An input of another size than the model's gets the embedding interpolated on the fly (as <see cref="Resize"/> does once
/// when weights are loaded).
/// </summary>
internal sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_proj;
    private readonly Parameter class_token;
    private readonly Encoder encoder;
    private readonly Sequential heads;
    private readonly int _patch;

    public VisionTransformer(int imageSize, int patch, int layers, int heads, long hidden, long mlp, int numClasses) : base(nameof(VisionTransformer))
    {
        _patch = patch;
        conv_proj = nn.Conv2d(3, hidden, patch, stride: patch);
        class_token = new Parameter(torch.zeros(1, 1, hidden));
        var grid = imageSize / patch;
        encoder = new Encoder(grid * grid + 1, layers, heads, hidden, mlp);
        this.heads = nn.Sequential(("head", nn.Linear(hidden, numClasses)));
        RegisterComponents();
        var fanIn = 3L * patch * patch;
        TruncatedNormal.Fill(conv_proj.weight!, Math.Sqrt(1.0 / fanIn));
        nn.init.zeros_(conv_proj.bias!);
        foreach (var parameter in this.heads.parameters()) nn.init.zeros_(parameter);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var n = input.shape[0];
        var tokens = conv_proj.call(input).flatten(2).permute(0, 2, 1); // [n, patches, hidden]
        var x = encoder.call(torch.cat([class_token.expand(n, -1, -1), tokens], 1));
        return heads.call(x.select(1, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's <c>interpolate_embeddings</c>: the class token's entry kept, the patch entries (a √n × √n grid) resized
    /// bicubically with aligned corners to <paramref name="gridH"/> × <paramref name="gridW"/>.
    /// </summary>
    public static Tensor Resize(Tensor embedding, long gridH, long gridW)
    {
        using var scope = NewDisposeScope();
        var hidden = embedding.shape[2];
        var old = (long)Math.Round(Math.Sqrt(embedding.shape[1] - 1));
        if (old * old != embedding.shape[1] - 1)
            throw new ArgumentException($"position embedding of {embedding.shape[1] - 1} patches is not a square grid", nameof(embedding));
        var token = embedding.narrow(1, 0, 1);
        var grid = embedding.narrow(1, 1, old * old).permute(0, 2, 1).reshape(1, hidden, old, old);
        var resized = nn.functional.interpolate(grid, [gridH, gridW], mode: InterpolationMode.Bicubic, align_corners: true);
        var patches = resized.reshape(1, hidden, gridH * gridW).permute(0, 2, 1);
        return torch.cat([token, patches], 1).MoveToOuterDisposeScope();
    }

    /// <summary>The image size a state_dict's <c>encoder.pos_embedding</c> was made for, with <paramref name="patch"/>-pixel patches.</summary>
    internal sealed class SizedWeights(int patch) : ISizedWeights
    {
        private const string Key = "encoder.pos_embedding";

        /// <summary>
        /// The largest grid a file may declare (64×64 patches, 1,024 px at 16 px; releases go to 37×37): the size read here
        /// builds the model a file is checked against, so a declared shape must not make runner allocate without bound.
        /// </summary>
        private const long MaxPatches = 64 * 64;

        public int? ImageSizeOf(IReadOnlyDictionary<string, long[]> shapes)
        {
            if (!shapes.TryGetValue(Key, out var embedding) || embedding is not [_, > 1 and <= MaxPatches + 1, _]) return null;
            var grid = (long)Math.Round(Math.Sqrt(embedding[1] - 1));
            return grid * grid == embedding[1] - 1 ? (int)(grid * patch) : null;
        }

        public Tensor? Resize(string key, Tensor stored, long[] shape)
        {
            if (key != Key || shape.Length != 3) return null;
            var grid = (long)Math.Round(Math.Sqrt(shape[1] - 1));
            return VisionTransformer.Resize(stored, grid, grid);
        }
    }

    /// <summary><c>pos_embedding</c>, the <c>layers</c> and the final LayerNorm <c>ln</c>.</summary>
    private sealed class Encoder : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter pos_embedding;
        private readonly Sequential layers;
        private readonly LayerNorm ln;

        public Encoder(long sequence, int count, int heads, long hidden, long mlp) : base(nameof(Encoder))
        {
            pos_embedding = new Parameter(torch.empty(1, sequence, hidden).normal_(std: 0.02));
            layers = nn.Sequential(Enumerable.Range(0, count)
                .Select(i => ("encoder_layer_" + i.ToString(CultureInfo.InvariantCulture),
                    (nn.Module<Tensor, Tensor>)new EncoderBlock(heads, hidden, mlp)))
                .ToArray());
            ln = nn.LayerNorm(hidden, eps: 1e-6);
            RegisterComponents();
        }

        /// <summary>The class token and a square grid of patch tokens (runner's images are square).</summary>
        public override Tensor forward(Tensor tokens)
        {
            using var scope = NewDisposeScope();
            var grid = (long)Math.Round(Math.Sqrt(tokens.shape[1] - 1));
            var embedding = pos_embedding.shape[1] == tokens.shape[1] ? (Tensor)pos_embedding : Resize(pos_embedding, grid, grid);
            return ln.call(layers.call(tokens + embedding)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>x + attention(ln_1(x)), then + mlp(ln_2(x)); <c>mlp</c> = Linear "0", GELU, Dropout, Linear "3", Dropout.</summary>
    private sealed class EncoderBlock : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm ln_1;
        private readonly SelfAttention self_attention;
        private readonly LayerNorm ln_2;
        private readonly Sequential mlp;

        public EncoderBlock(int heads, long hidden, long mlpDim) : base(nameof(EncoderBlock))
        {
            ln_1 = nn.LayerNorm(hidden, eps: 1e-6);
            self_attention = new SelfAttention(hidden, heads);
            ln_2 = nn.LayerNorm(hidden, eps: 1e-6);
            mlp = nn.Sequential(("0", nn.Linear(hidden, mlpDim)), ("1", nn.GELU()), ("2", nn.Dropout(0)), ("3", nn.Linear(mlpDim, hidden)),
                ("4", nn.Dropout(0)));
            RegisterComponents();
            foreach (var linear in mlp.modules().OfType<Linear>())
            {
                nn.init.xavier_uniform_(linear.weight!);
                nn.init.normal_(linear.bias!, std: 1e-6);
            }
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = self_attention.call(ln_1.call(input)) + input;
            return (x + mlp.call(ln_2.call(x))).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// nn.MultiheadAttention's parameters (<c>in_proj_weight</c>, <c>in_proj_bias</c>, <c>out_proj</c>) without its Python-side
    /// reshuffling: one projection to q, k, v, heads split, fused attention, heads merged, <c>out_proj</c>.
    /// </summary>
    private sealed class SelfAttention : nn.Module<Tensor, Tensor>, IFunctionalMacs
    {
        private readonly Parameter in_proj_weight;
        private readonly Parameter in_proj_bias;
        private readonly Linear out_proj;
        private readonly int _heads;

        public SelfAttention(long hidden, int heads) : base(nameof(SelfAttention))
        {
            _heads = heads;
            in_proj_weight = new Parameter(torch.empty(3 * hidden, hidden));
            in_proj_bias = new Parameter(torch.zeros(3 * hidden));
            out_proj = nn.Linear(hidden, hidden);
            RegisterComponents();
            nn.init.xavier_uniform_(in_proj_weight);
            nn.init.zeros_(out_proj.bias!);
        }

        /// <summary>The q, k, v projection, and scores and weighted values: 2 · length² · hidden per image.</summary>
        public long FunctionalMacs(Tensor input, Tensor output)
        {
            var (n, length, hidden) = (input.shape[0], input.shape[1], input.shape[2]);
            return n * length * 3 * hidden * hidden + 2 * n * length * length * hidden;
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var (n, length, hidden) = (input.shape[0], input.shape[1], input.shape[2]);
            var qkv = nn.functional.linear(input, in_proj_weight, in_proj_bias)
                .view(n, length, 3, _heads, hidden / _heads).permute(2, 0, 3, 1, 4);
            var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);
            return out_proj.call(attended.transpose(1, 2).reshape(n, length, hidden)).MoveToOuterDisposeScope();
        }
    }
}
