using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// An Xception block as timm's legacy port builds it. <c>rep</c> is one Sequential of [ReLU, XceptionSeparableConv2d, BatchNorm2d]
/// per repetition (the very first ReLU dropped when <c>startWithRelu</c> is false), then MaxPool2d(3, stride, 1) when
/// stride ≠ 1; ReLUs and the pool take Sequential indices, so the numbering is timm's. Output: rep(x) + skip(x), where
/// skip is a strided 1×1 conv + BatchNorm when channels or stride change, otherwise the identity.
/// </summary>
internal sealed class XceptionBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d? skip;
    private readonly BatchNorm2d? skipbn;
    private readonly Sequential rep;

    public XceptionBlock(long inChannels, long outChannels, int reps, long stride = 1, bool startWithRelu = true, bool growFirst = true)
        : base(nameof(XceptionBlock))
    {
        if (reps < 1) throw new ArgumentOutOfRangeException(nameof(reps), reps, "an Xception block needs at least one repetition");

        if (outChannels != inChannels || stride != 1)
        {
            skip = nn.Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false);
            skipbn = nn.BatchNorm2d(outChannels);
        }

        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < reps; i++)
        {
            long inc, outc;
            if (growFirst)
            {
                inc = i == 0 ? inChannels : outChannels;
                outc = outChannels;
            }
            else
            {
                inc = inChannels;
                outc = i < reps - 1 ? inChannels : outChannels;
            }

            // Never in-place: the first ReLU sees the block input, which the identity/skip path still needs.
            if (i > 0 || startWithRelu)
                layers.Add(nn.ReLU());
            layers.Add(new XceptionSeparableConv2d(inc, outc));
            layers.Add(nn.BatchNorm2d(outc));
        }

        if (stride != 1)
            layers.Add(nn.MaxPool2d(kernel_size: 3, stride: stride, padding: 1));

        // Explicit names "0", "1", … so the indices are timm's nn.Sequential(*rep) indices.
        rep = nn.Sequential(layers.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m)).ToArray());

        if (skip is not null) register_module(nameof(skip), skip);
        if (skipbn is not null) register_module(nameof(skipbn), skipbn);
        register_module(nameof(rep), rep);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = rep.call(input);
        var shortcut = skip is null ? input : skipbn!.call(skip.call(input));
        return (x + shortcut).MoveToOuterDisposeScope();
    }
}
