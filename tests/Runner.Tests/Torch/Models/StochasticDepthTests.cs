using TorchSharp;
using Runner.Torch.Models;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Models;

/// <summary><c>drop_path</c>: one rate rescales every block's stochastic depth, which acts in training only.</summary>
public sealed class StochasticDepthTests
{
    [Fact]
    public void A_block_drops_whole_samples_with_its_share_of_the_rate_and_scales_the_survivors()
    {
        using var depth = new StochasticDepth(depthFraction: 0.5, rate: 0.8); // p = 0.4
        using var ones = torch.ones(4000, 3);
        depth.train();
        torch.manual_seed(1);
        using var dropped = depth.forward(ones);
        var rows = dropped.sum(1).data<float>().ToArray();
        Assert.All(rows, r => Assert.True(r == 0 || Math.Abs(r - 3 / 0.6f) < 1e-4, $"row sum {r}"));
        Assert.InRange(rows.Count(r => r == 0) / 4000.0, 0.37, 0.43);
        depth.eval();
        using var kept = depth.forward(ones);
        Assert.True(kept.equal(ones).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => depth.Rate = 1.0);
    }

    [Fact]
    public void Setting_the_rate_reaches_every_block_of_the_model_in_training_only()
    {
        var arch = ArchRegistry.Default["convnext_tiny"];
        torch.manual_seed(2);
        using var model = arch.Create(3, 32);
        using (torch.no_grad()) // ConvNeXt starts with its residual branches scaled by 1e-6: at 1 dropping them shows
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.EndsWith("layer_scale", StringComparison.Ordinal)))
                parameter.fill_(1);
        using var input = torch.rand(2, 3, 32, 32);
        model.eval();
        using var evaluated = model.forward(input);

        Assert.Equal(18, StochasticDepth.SetRate(model, 0));
        model.train();
        using var undropped = model.forward(input);
        var scale = evaluated.abs().max().item<float>();
        Assert.True(undropped.allclose(evaluated, rtol: 1e-4, atol: 1e-4 * scale), "no stochastic depth: training computes what eval does");

        StochasticDepth.SetRate(model, 0.9);
        Assert.All(model.modules().OfType<StochasticDepth>(), d => Assert.Equal(0.9, d.Rate));
        Assert.Equal(0.9, model.modules().OfType<StochasticDepth>().Last().P);
        Assert.Equal(0.0, model.modules().OfType<StochasticDepth>().First().P);
        torch.manual_seed(3);
        using var dropped = model.forward(input);
        Assert.False(dropped.allclose(evaluated, rtol: 1e-2, atol: 1e-2 * scale), "at rate 0.9 training must drop blocks");
        model.eval();
        using var again = model.forward(input);
        Assert.True(again.allclose(evaluated, rtol: 1e-4, atol: 1e-4 * scale));
    }
}
