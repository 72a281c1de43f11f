using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's RegNet (X, and Y with squeeze-and-excitation): <c>stem</c> (3×3/2, BN, ReLU), <c>trunk_output</c> =
/// <c>block1</c>…<c>block4</c> stages of residual bottleneck blocks (<c>blockS-i</c>), global average and <c>fc</c>.
/// </summary>
internal sealed class RegNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly Sequential trunk_output;
    private readonly Linear fc;

    public RegNet(RegNetConfig config, int numClasses) : base(nameof(RegNet))
    {
        const int stemWidth = 32;
        stem = Conv2dNormActivation.Create(3, stemWidth, 3, stride: 2, norm: Conv2dNormActivation.BatchNorm(), activation: () => nn.ReLU());
        var stages = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = stemWidth;
        for (var s = 0; s < config.Depths.Length; s++)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (var i = 0; i < config.Depths[s]; i++)
            {
                var block = new ResBottleneckBlock(i == 0 ? width : config.Widths[s], config.Widths[s], i == 0 ? 2 : 1,
                    config.GroupWidths[s], config.SqueezeExcitation);
                blocks.Add(($"block{s + 1}-{i}", block));
            }
            stages.Add(($"block{(s + 1).ToString(CultureInfo.InvariantCulture)}", nn.Sequential(blocks.ToArray())));
            width = config.Widths[s];
        }
        trunk_output = nn.Sequential(stages.ToArray());
        fc = nn.Linear(width, numClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = trunk_output.call(stem.call(input));
        return fc.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x + f(x) then ReLU, f = <c>f.a</c> (1×1), <c>f.b</c> (grouped 3×3, the stride), <c>f.se</c> (RegNetY), <c>f.c</c> (1×1, no
    /// activation); <c>proj</c> (1×1 + BN) replaces x when the width or resolution changes.
    /// </summary>
    private sealed class ResBottleneckBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential? proj;
        private readonly Sequential f;

        public ResBottleneckBlock(long input, long output, long stride, long groupWidth, bool squeezeExcitation) : base(nameof(ResBottleneckBlock))
        {
            var norm = Conv2dNormActivation.BatchNorm();
            if (input != output || stride != 1) proj = Conv2dNormActivation.Create(input, output, 1, stride: stride, norm: norm);
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>
            {
                ("a", Conv2dNormActivation.Create(input, output, 1, norm: norm, activation: () => nn.ReLU())),
                ("b", Conv2dNormActivation.Create(output, output, 3, stride: stride, groups: output / groupWidth, norm: norm,
                    activation: () => nn.ReLU())),
            };
            // The squeeze width is a quarter of the block's input width.
            if (squeezeExcitation)
                layers.Add(("se", new SqueezeExcitation(output, (long)Math.Round(0.25 * input, MidpointRounding.ToEven), relu: true)));
            layers.Add(("c", Conv2dNormActivation.Create(output, output, 1, norm: norm)));
            f = nn.Sequential(layers.ToArray());
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var shortcut = proj is null ? input : proj.call(input);
            return nn.functional.relu(shortcut + f.call(input)).MoveToOuterDisposeScope();
        }
    }
}
