using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's <c>StochasticDepth(p, "row")</c>: in training, zeroes each sample's residual branch with probability
/// <see cref="P"/> and scales survivors by 1/(1 − p); the identity in eval. Networks give their blocks rates that grow with
/// depth: p = <see cref="Rate"/> × <see cref="DepthFraction"/>, the block's position in the network, so that
/// <see cref="SetRate"/> (<c>drop_path</c>) rescales every block of a model at once.
/// </summary>
internal sealed class StochasticDepth : nn.Module<Tensor, Tensor>
{
    private double _rate;

    public StochasticDepth(double depthFraction, double rate) : base(nameof(StochasticDepth))
    {
        if (depthFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(depthFraction), depthFraction, "must be in [0, 1]");
        DepthFraction = depthFraction;
        Rate = rate;
    }

    public double DepthFraction { get; }

    /// <summary>The network's rate (its last block's probability).</summary>
    public double Rate
    {
        get => _rate;
        set => _rate = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be in [0, 1)");
    }

    public double P => Rate * DepthFraction;

    /// <summary>Sets the rate of every <see cref="StochasticDepth"/> in <paramref name="model"/>; returns how many there are.</summary>
    public static int SetRate(nn.Module model, double rate)
    {
        var layers = model.modules().OfType<StochasticDepth>().ToList();
        foreach (var layer in layers) layer.Rate = rate;
        return layers.Count;
    }

    public override Tensor forward(Tensor input)
    {
        var p = P;
        if (!training || p == 0) return input;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        using var mask = torch.empty(shape, dtype: input.dtype, device: input.device);
        mask.bernoulli_(1 - p);
        mask.div_(1 - p);
        return input * mask;
    }
}
