using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's MNASNet-B1 (its version 2: the stem scales with the width multiplier too): <c>layers</c> = stem, six stacks of
/// inverted residuals and a 1×1 conv to 1280, then global average and <c>classifier</c> = Dropout + Linear.
/// </summary>
internal sealed class MnasNet : nn.Module<Tensor, Tensor>
{
    /// <summary>torchvision's <c>_BN_MOMENTUM</c> (TensorFlow's decay 0.9997).</summary>
    private const double Momentum = 1 - 0.9997;

    /// <summary>Widths of the stem's two convolutions and the six stacks at α = 1.</summary>
    private static readonly int[] BaseDepths = [32, 16, 24, 40, 80, 96, 192, 320];

    private readonly Sequential layers;
    private readonly Sequential classifier;

    public MnasNet(double alpha, int numClasses, double dropout = 0.2) : base(nameof(MnasNet))
    {
        var d = BaseDepths.Select(c => RoundToMultipleOf(c * alpha, 8)).ToArray();
        layers = Conv2dNormActivation.Numbered(
        [
            nn.Conv2d(3, d[0], 3, stride: 2, padding: 1, bias: false),
            Norm(d[0]),
            nn.ReLU(),
            nn.Conv2d(d[0], d[0], 3, padding: 1, groups: d[0], bias: false),
            Norm(d[0]),
            nn.ReLU(),
            nn.Conv2d(d[0], d[1], 1, bias: false),
            Norm(d[1]),
            Stack(d[1], d[2], 3, 2, 3, 3),
            Stack(d[2], d[3], 5, 2, 3, 3),
            Stack(d[3], d[4], 5, 2, 6, 3),
            Stack(d[4], d[5], 3, 1, 6, 2),
            Stack(d[5], d[6], 5, 2, 6, 4),
            Stack(d[6], d[7], 3, 1, 6, 1),
            nn.Conv2d(d[7], 1280, 1, bias: false),
            Norm(1280),
            nn.ReLU(),
        ]);
        classifier = nn.Sequential(("0", nn.Dropout(dropout)), ("1", nn.Linear(1280, numClasses)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var x = layers.call(input);
        using var pooled = x.mean([2, 3]);
        return classifier.call(pooled);
    }

    private static BatchNorm2d Norm(long channels) => nn.BatchNorm2d(channels, momentum: Momentum);

    private static Sequential Stack(long input, long output, long kernel, long stride, int expansion, int repeats) =>
        Conv2dNormActivation.Numbered(Enumerable.Range(0, repeats)
            .Select(i => new InvertedResidual(i == 0 ? input : output, output, kernel, i == 0 ? stride : 1, expansion)));

    /// <summary>torchvision's <c>_round_to_multiple_of(val, divisor, 0.9)</c>: round up unless within 10 % above the lower multiple.</summary>
    private static long RoundToMultipleOf(double value, int divisor)
    {
        var rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded >= 0.9 * value ? rounded : rounded + divisor;
    }

    /// <summary>1×1 expansion, depthwise k×k, linear 1×1 projection (<c>layers</c> "0"–"7"); a shortcut when the shape is kept.</summary>
    private sealed class InvertedResidual : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential layers;
        private readonly bool _residual;

        public InvertedResidual(long input, long output, long kernel, long stride, int expansion) : base(nameof(InvertedResidual))
        {
            var middle = input * expansion;
            _residual = input == output && stride == 1;
            layers = Conv2dNormActivation.Numbered(
            [
                nn.Conv2d(input, middle, 1, bias: false),
                Norm(middle),
                nn.ReLU(),
                nn.Conv2d(middle, middle, kernel, stride: stride, padding: kernel / 2, groups: middle, bias: false),
                Norm(middle),
                nn.ReLU(),
                nn.Conv2d(middle, output, 1, bias: false),
                Norm(output),
            ]);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var result = layers.call(input);
            if (!_residual) return result;
            using (result) return result + input;
        }
    }
}
