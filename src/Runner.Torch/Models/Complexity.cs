using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Models;

/// <summary>Size and cost of a model, measured rather than quoted: parameters, and multiply–accumulates of one forward pass.</summary>
public sealed record Complexity(long Params, double GMacs)
{
    /// <summary>
    /// Counts convolution and linear MACs, and those of functional projections and attention products
    /// (<see cref="IFunctionalMacs"/>), with forward hooks during one eval-mode pass on a 1×3×size×size input.
    /// </summary>
    public static Complexity Measure(nn.Module<Tensor, Tensor> model, int imageSize)
    {
        long macs = 0;
        var hooks = model.named_modules()
            .Select(m => m.module)
            .OfType<nn.Module<Tensor, Tensor>>()
            .Where(m => m is TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear or IFunctionalMacs)
            .Select(m => m.register_forward_hook((layer, input, output) =>
            {
                if (layer is IFunctionalMacs functional)
                {
                    macs += functional.FunctionalMacs(input, output);
                    return output;
                }
                var weight = layer is TorchSharp.Modules.Conv2d conv ? conv.weight! : ((TorchSharp.Modules.Linear)layer).weight!;
                macs += output.numel() * weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                return output;
            }))
            .ToList();
        var wasTraining = model.training;
        try
        {
            model.eval();
            using var _ = torch.inference_mode();
            using var scope = torch.NewDisposeScope();
            var device = model.parameters().First().device;
            model.forward(torch.zeros(1, 3, imageSize, imageSize, device: device));
        }
        finally
        {
            hooks.ForEach(h => h.remove());
            model.train(wasTraining);
        }
        return new Complexity(model.parameters().Sum(p => p.numel()), macs / 1e9);
    }
}
