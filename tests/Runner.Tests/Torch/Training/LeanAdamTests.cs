using TorchSharp;
using TorchSharp.Modules;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Training;

/// <summary>runner's Adam and AdamW steps must change nothing but speed: the same seed gives the same weights
/// (allclose with zero tolerances: exactly equal). Random numbers come from private generators: tests in other classes
/// draw from the global one at the same time.</summary>
public sealed class LeanAdamTests
{
    private static List<Parameter> Parameters(int seed)
    {
        using var random = new Generator((ulong)seed);
        return [new Parameter(torch.randn([16, 8], generator: random)), new Parameter(torch.randn([8], generator: random)),
            new Parameter(torch.randn([3, 3, 2, 2], generator: random))];
    }

    private static void Steps(optim.Optimizer optimizer, List<Parameter> parameters, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            using var random = new Generator((ulong)(100 + step));
            foreach (var p in parameters) p.grad = torch.randn(p.shape, generator: random);
            if (step == 1) parameters[1].grad = null; // a parameter without a gradient is left alone, as torch does
            optimizer.step();
        }
    }

    [Theory]
    [InlineData("adam", 0.0)]
    [InlineData("adam", 0.01)]
    [InlineData("adamw", 0.01)]
    public void Steps_equal_torchsharps_own_bit_for_bit(string name, double weightDecay)
    {
        var reference = Parameters(7);
        var lean = Parameters(7);
        using var torchSharp = name == "adam"
            ? optim.Adam(reference, lr: 0.01, weight_decay: weightDecay)
            : (optim.Optimizer)optim.AdamW(reference, lr: 0.01, weight_decay: weightDecay);
        using var ours = Optimizers.Create(new Runner.Core.Config.OptimizerSpec(name, 0.01, weightDecay), lean);
        Assert.IsType(name == "adam" ? typeof(LeanAdam) : typeof(LeanAdamW), ours);

        Steps(torchSharp, reference, 5);
        Steps(ours, lean, 5);

        foreach (var (expected, actual) in reference.Zip(lean))
            Assert.True(expected.allclose(actual, rtol: 0, atol: 0), $"max difference {(expected - actual).abs().max().item<float>()}");
        Assert.False(Parameters(7)[0].allclose(lean[0], rtol: 0, atol: 0)); // the steps did move the weights
    }

    [Fact]
    public void Saved_state_round_trips_so_resume_continues_the_same_run()
    {
        var first = Parameters(3);
        using var optimizer = Optimizers.Create(new Runner.Core.Config.OptimizerSpec("adam", 0.01), first);
        Steps(optimizer, first, 3);
        var path = Path.Combine(Path.GetTempPath(), $"lean-adam-{Guid.NewGuid():N}.bin");
        try
        {
            Optimizers.State(optimizer).save_state_dict(path);
            var resumed = first.Select(p => new Parameter(p.detach().clone())).ToList();
            using var again = Optimizers.Create(new Runner.Core.Config.OptimizerSpec("adam", 0.01), resumed);
            Optimizers.State(again).load_state_dict(path);
            Steps(optimizer, first, 2);
            Steps(again, resumed, 2);
            foreach (var (expected, actual) in first.Zip(resumed)) Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
