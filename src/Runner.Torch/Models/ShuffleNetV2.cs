using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's ShuffleNetV2: <c>conv1</c> (3×3/2, BN, ReLU), max-pool, <c>stage2</c>–<c>stage4</c> of inverted residuals
/// whose two branches are concatenated and channel-shuffled, <c>conv5</c> (1×1, BN, ReLU), global average and <c>fc</c>.
/// </summary>
internal sealed class ShuffleNetV2 : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly Sequential stage4;
    private readonly Sequential conv5;
    private readonly Linear fc;

    /// <param name="channels">stem, stage2–4 and conv5 widths (torchvision's <c>stages_out_channels</c>).</param>
    public ShuffleNetV2(int[] channels, int numClasses) : base(nameof(ShuffleNetV2))
    {
        int[] repeats = [4, 8, 4];
        conv1 = Conv2dNormActivation.Create(3, channels[0], 3, stride: 2, norm: Conv2dNormActivation.BatchNorm(), activation: () => nn.ReLU());
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        var stages = new Sequential[3];
        long input = channels[0];
        for (var s = 0; s < 3; s++)
        {
            var units = new List<nn.Module<Tensor, Tensor>> { new InvertedResidual(input, channels[s + 1], 2) };
            for (var i = 1; i < repeats[s]; i++) units.Add(new InvertedResidual(channels[s + 1], channels[s + 1], 1));
            stages[s] = Conv2dNormActivation.Numbered(units);
            input = channels[s + 1];
        }
        (stage2, stage3, stage4) = (stages[0], stages[1], stages[2]);
        conv5 = Conv2dNormActivation.Create(input, channels[4], 1, norm: Conv2dNormActivation.BatchNorm(), activation: () => nn.ReLU());
        fc = nn.Linear(channels[4], numClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv5.call(stage4.call(stage3.call(stage2.call(maxpool.call(conv1.call(input))))));
        return fc.call(x.mean([2, 3])).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Stride 2: both branches see the whole input (<c>branch1</c>: depthwise 3×3/2, BN, 1×1, BN, ReLU). Stride 1: the first half
    /// of the channels passes through and <c>branch2</c> (1×1, BN, ReLU, depthwise 3×3, BN, 1×1, BN, ReLU) sees the second.
    /// </summary>
    private sealed class InvertedResidual : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential branch1;
        private readonly Sequential branch2;
        private readonly long _stride;

        public InvertedResidual(long input, long output, long stride) : base(nameof(InvertedResidual))
        {
            _stride = stride;
            var half = output / 2;
            branch1 = stride > 1
                ? nn.Sequential(
                    ("0", nn.Conv2d(input, input, 3, stride: stride, padding: 1, groups: input, bias: false)),
                    ("1", nn.BatchNorm2d(input)),
                    ("2", nn.Conv2d(input, half, 1, bias: false)),
                    ("3", nn.BatchNorm2d(half)),
                    ("4", nn.ReLU()))
                : nn.Sequential();
            branch2 = nn.Sequential(
                ("0", nn.Conv2d(stride > 1 ? input : half, half, 1, bias: false)),
                ("1", nn.BatchNorm2d(half)),
                ("2", nn.ReLU()),
                ("3", nn.Conv2d(half, half, 3, stride: stride, padding: 1, groups: half, bias: false)),
                ("4", nn.BatchNorm2d(half)),
                ("5", nn.Conv2d(half, half, 1, bias: false)),
                ("6", nn.BatchNorm2d(half)),
                ("7", nn.ReLU()));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            Tensor joined;
            if (_stride == 1)
            {
                var halves = input.chunk(2, 1);
                joined = torch.cat([halves[0], branch2.call(halves[1])], 1);
            }
            else
            {
                joined = torch.cat([branch1.call(input), branch2.call(input)], 1);
            }
            return Shuffle(joined).MoveToOuterDisposeScope();
        }

        /// <summary>torchvision's <c>channel_shuffle(x, 2)</c>: interleave the two halves' channels.</summary>
        private static Tensor Shuffle(Tensor x)
        {
            var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
            return x.view(n, 2, c / 2, h, w).transpose(1, 2).contiguous().view(n, -1, h, w);
        }
    }
}
