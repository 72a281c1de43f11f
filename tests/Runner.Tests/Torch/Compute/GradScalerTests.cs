using Runner.Tests.Fixtures;
using Runner.Torch.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Compute;

/// <summary>Dynamic loss scaling on the CPU, with infinite and NaN gradients injected as float16 overflow would make them.</summary>
public sealed class GradScalerTests
{
    public GradScalerTests() => WeightsTestSupport.EnsureTorch();

    private static (nn.Module<Tensor, Tensor> Model, optim.Optimizer Optimizer) Fresh()
    {
        var model = nn.Linear(3, 1);
        using (torch.no_grad())
            foreach (var p in model.parameters()) p.copy_(torch.full(p.shape, 0.5f));
        return (model, optim.SGD(model.parameters(), 0.1));
    }

    private static Tensor Loss(nn.Module<Tensor, Tensor> model) => model.forward(torch.ones(2, 3)).square().mean();

    private static float[] Weights(nn.Module model) => [.. model.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    [Fact]
    public void A_finite_step_unscales_the_gradients_before_the_optimizer_sees_them()
    {
        var (plain, plainOptimizer) = Fresh();
        plainOptimizer.zero_grad();
        Loss(plain).backward();
        plainOptimizer.step();

        var (scaled, optimizer) = Fresh();
        var scaler = new GradScaler(enabled: true, initialScale: 1024);
        optimizer.zero_grad();
        scaler.Scaled(Loss(scaled)).backward();
        Assert.True(scaler.Step(optimizer));

        Assert.Equal(Weights(plain), Weights(scaled));
        Assert.Equal(1024, scaler.Scale);
        Assert.Equal(1, scaler.GrowthTracker);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void A_step_with_a_non_finite_gradient_is_skipped_and_the_scale_backs_off(float bad)
    {
        var (model, optimizer) = Fresh();
        var scaler = new GradScaler(enabled: true, initialScale: 1024);
        var before = Weights(model);
        optimizer.zero_grad();
        scaler.Scaled(Loss(model)).backward();
        using (torch.no_grad()) model.parameters().First().grad!.view(-1)[1].fill_(bad);

        Assert.False(scaler.Step(optimizer));

        Assert.Equal(before, Weights(model));
        Assert.Equal(512, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void The_scale_grows_after_the_growth_interval_of_finite_steps_and_an_overflow_resets_the_count()
    {
        var (model, optimizer) = Fresh();
        var scaler = new GradScaler(enabled: true, initialScale: 8, growthInterval: 3);
        void Step(bool overflow)
        {
            optimizer.zero_grad();
            scaler.Scaled(Loss(model)).backward();
            if (overflow) using (torch.no_grad()) model.parameters().Last().grad!.fill_(float.PositiveInfinity);
            scaler.Step(optimizer);
        }

        Step(false);
        Step(false);
        Assert.Equal(8, scaler.Scale);
        Step(false);
        Assert.Equal(16, scaler.Scale);
        Step(false);
        Step(false);
        Step(true);
        Assert.Equal(8, scaler.Scale);
        Step(false);
        Step(false);
        Assert.Equal(8, scaler.Scale);
        Step(false);
        Assert.Equal(16, scaler.Scale);
        Assert.Equal(new LossScaleState(16, 0, 1), scaler.State);
    }

    [Fact]
    public void Clipping_between_unscale_and_step_sees_the_true_gradients_and_unscaling_happens_once()
    {
        var (model, optimizer) = Fresh();
        var scaler = new GradScaler(enabled: true, initialScale: 4096);
        optimizer.zero_grad();
        scaler.Scaled(Loss(model)).backward();

        scaler.Unscale(optimizer);
        var unscaled = model.parameters().Select(p => p.grad!.clone()).ToList();
        scaler.Step(optimizer); // does not divide again

        var (plain, _) = Fresh();
        Loss(plain).backward();
        Assert.All(plain.parameters().Zip(unscaled),
            p => Assert.True(p.First.grad!.allclose(p.Second), "the gradients differ from the unscaled loss's"));
    }

    [Fact]
    public void Disabled_it_is_the_plain_backward_and_step()
    {
        var (model, optimizer) = Fresh();
        var scaler = new GradScaler(enabled: false);
        optimizer.zero_grad();
        using var loss = Loss(model);
        Assert.Same(loss, scaler.Scaled(loss));
        loss.backward();
        using (torch.no_grad()) model.parameters().First().grad!.fill_(float.PositiveInfinity);
        Assert.True(scaler.Step(optimizer)); // nothing checks: the infinity reaches the weights
        Assert.Contains(Weights(model), w => float.IsInfinity(w) || float.IsNaN(w));
    }
}
