using TorchSharp;
using Runner.Core.Config;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Training;

/// <summary>Learning-rate schedules, optimizers, label smoothing and gradient clipping on tiny tensors.</summary>
public sealed class ScheduleAndLossTests
{
    private static double[] Curve(ScheduleSpec spec, double lr, int stepsPerEpoch, int epochs)
    {
        var schedule = new LrSchedule(spec, lr, stepsPerEpoch, epochs);
        return Enumerable.Range(0, schedule.TotalSteps).Select(schedule.At).ToArray();
    }

    [Fact]
    public void Constant_with_warmup_rises_linearly_then_holds()
    {
        var lrs = Curve(new ScheduleSpec("constant", WarmupEpochs: 1), 0.1, stepsPerEpoch: 4, epochs: 3);
        Assert.Equal(12, lrs.Length);
        Assert.Equal([0.025, 0.05, 0.075, 0.1], lrs[..4], new Tolerance(1e-12));
        Assert.All(lrs[4..], lr => Assert.Equal(0.1, lr, 12));
    }

    [Fact]
    public void Constant_without_warmup_is_the_base_rate_everywhere()
    {
        Assert.All(Curve(ScheduleSpec.Constant, 0.01, 3, 2), lr => Assert.Equal(0.01, lr, 12));
    }

    [Fact]
    public void Cosine_after_warmup_goes_from_lr_to_min_lr()
    {
        var lrs = Curve(new ScheduleSpec("cosine", WarmupEpochs: 1, MinLr: 0.001), 0.1, stepsPerEpoch: 2, epochs: 3);
        // warm-up: steps 0, 1; cosine over steps 2..5 (t = 0, 1/3, 2/3, 1)
        var expected = new[] { 0.05, 0.1 }.Concat(new[] { 0.0, 1.0 / 3, 2.0 / 3, 1.0 }
            .Select(t => 0.001 + (0.1 - 0.001) * 0.5 * (1 + Math.Cos(Math.PI * t)))).ToArray();
        Assert.Equal(expected, lrs, new Tolerance(1e-12));
        Assert.Equal(0.1, lrs[2], 12);
        Assert.Equal(0.001, lrs[^1], 12);
        for (var i = 3; i < lrs.Length; i++) Assert.True(lrs[i] < lrs[i - 1]);
    }

    [Fact]
    public void Step_decays_by_gamma_every_step_size_epochs_after_warmup()
    {
        var lrs = Curve(new ScheduleSpec("step", WarmupEpochs: 1, StepSize: 2, Gamma: 0.5), 0.2, stepsPerEpoch: 2, epochs: 6);
        double[] expected = [0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05];
        Assert.Equal(expected, lrs, new Tolerance(1e-12));
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void Optimizers_build_with_the_configured_hyperparameters_and_step(string name)
    {
        torch.manual_seed(1);
        using var model = nn.Linear(3, 1);
        var spec = new OptimizerSpec(name, 0.05, WeightDecay: 0.01, Momentum: 0.8, Nesterov: true);
        using var optimizer = Optimizers.Create(spec, model.parameters());
        var options = optimizer.ParamGroups.Cast<dynamic>().First().Options;
        Assert.Equal(0.05, Optimizers.LearningRate(optimizer), 12);
        Assert.Equal(0.01, (double)options.weight_decay, 12);
        switch (name)
        {
            case "adam": Assert.IsType<LeanAdam>(optimizer); break;
            case "adamw": Assert.IsType<LeanAdamW>(optimizer); break;
            case "sgd":
                Assert.IsType<TorchSharp.Modules.SGD>(optimizer);
                Assert.Equal(0.8, (double)options.momentum, 12);
                Assert.True((bool)options.nesterov);
                break;
        }

        var before = model.weight!.detach().clone();
        optimizer.zero_grad();
        model.forward(torch.ones(4, 3)).sum().backward();
        optimizer.step();
        Assert.False(before.allclose(model.weight!.detach()), "a step must move the weights");

        Optimizers.SetLearningRate(optimizer, 0.003);
        Assert.Equal(0.003, Optimizers.LearningRate(optimizer), 12);
    }

    [Fact]
    public void Frozen_parameters_are_left_out_of_the_optimizer()
    {
        using var model = nn.Sequential(("a", nn.Linear(2, 2)), ("b", nn.Linear(2, 1)));
        foreach (var (n, p) in model.named_parameters()) p.requires_grad = n.StartsWith("b.", StringComparison.Ordinal);
        using var optimizer = Optimizers.Create(new OptimizerSpec("sgd", 0.1), model.parameters());
        Assert.Equal(2, optimizer.parameters().Count());
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Binary_label_smoothing_moves_targets_towards_one_half()
    {
        var head = new Head(2);
        using var logits = torch.tensor(new float[] { 0.5f, 2.0f, -1.0f }).reshape(3, 1);
        using var labels = torch.tensor(new long[] { 1, 0, 0 });
        const double eps = 0.2;
        double Bce(double x, double t) => -(t * Math.Log(Sigmoid(x)) + (1 - t) * Math.Log(1 - Sigmoid(x)));
        var expected = (Bce(0.5, 0.9) + Bce(2.0, 0.1) + Bce(-1.0, 0.1)) / 3;
        var plain = (Bce(0.5, 1) + Bce(2.0, 0) + Bce(-1.0, 0)) / 3;

        Assert.Equal(expected, head.Loss(logits, labels, eps).item<float>(), 5);
        Assert.Equal(plain, head.Loss(logits, labels).item<float>(), 5);
    }

    [Fact]
    public void Multiclass_label_smoothing_spreads_eps_over_the_classes()
    {
        var head = new Head(3);
        float[] row0 = [1f, 2f, 0.5f], row1 = [-1f, 0f, 3f];
        using var logits = torch.tensor(row0.Concat(row1).ToArray()).reshape(2, 3);
        using var labels = torch.tensor(new long[] { 1, 0 });
        const double eps = 0.3;
        double Smoothed(float[] z, int label)
        {
            var logSum = Math.Log(z.Sum(v => Math.Exp(v)));
            return -Enumerable.Range(0, 3).Sum(k => ((k == label ? 1 - eps : 0) + eps / 3) * (z[k] - logSum));
        }
        var expected = (Smoothed(row0, 1) + Smoothed(row1, 0)) / 2;

        Assert.Equal(expected, head.Loss(logits, labels, eps).item<float>(), 5);
    }

    [Fact]
    public void Gradient_clipping_bounds_the_total_norm()
    {
        using var model = nn.Linear(4, 2);
        model.forward(torch.full(8, 4, 100f)).pow(2).sum().backward();
        double Norm() => Math.Sqrt(model.parameters().Sum(p => p.grad!.pow(2).sum().item<float>()));
        var before = Norm();
        Assert.True(before > 1);

        var reported = TrainExecutor.ClipGradients(model, 0.5);

        Assert.Equal(before, reported, before * 1e-4);
        Assert.InRange(Norm(), 0.49, 0.5 + 1e-4);
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= eps;
        public int GetHashCode(double obj) => 0;
    }
}
