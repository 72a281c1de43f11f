using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>
/// torchvision's <c>Conv2dNormActivation</c>: a convolution ("0", padding (k − 1) / 2, no bias unless asked), a norm layer ("1")
/// and an activation ("2"), each optional after the convolution, under torchvision's state_dict names.
/// </summary>
internal static class Conv2dNormActivation
{
    public static Sequential Create(long inChannels, long outChannels, long kernel, long stride = 1, long groups = 1,
        Func<long, nn.Module<Tensor, Tensor>>? norm = null, Func<nn.Module<Tensor, Tensor>>? activation = null, bool bias = false,
        long? padding = null)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("0", nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding ?? (kernel - 1) / 2, groups: groups, bias: bias)),
        };
        if (norm is not null) layers.Add(("1", norm(outChannels)));
        if (activation is not null) layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), activation()));
        return nn.Sequential(layers.ToArray());
    }

    /// <summary>BatchNorm2d with torchvision's defaults (eps 1e-5, momentum 0.1) unless given.</summary>
    public static Func<long, nn.Module<Tensor, Tensor>> BatchNorm(double eps = 1e-5, double momentum = 0.1) =>
        channels => nn.BatchNorm2d(channels, eps: eps, momentum: momentum);

    /// <summary>Sequential children named "0", "1", … in order, as torchvision's unnamed <c>nn.Sequential(*layers)</c>.</summary>
    public static Sequential Numbered(IEnumerable<nn.Module<Tensor, Tensor>> modules) =>
        nn.Sequential(modules.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m)).ToArray());
}
