using TorchSharp;
using Runner.Core.Config;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Training;

/// <summary>Per-epoch resume points: the epoch loop and early stopping pick up where they left off; model and optimizer state round-trip.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "runner-resume-" + Guid.NewGuid().ToString("N")[..8], "key");

    [Fact]
    public void Resumed_epoch_loop_with_early_stopping_ends_as_an_uninterrupted_one()
    {
        double[] losses = [1.0, 0.5, 0.6, 0.7, 0.4];
        var whole = EpochLoop.Run(5, new EarlyStopping(new EarlyStoppingSpec(2)), i => losses[i]);

        var first = new EarlyStopping(new EarlyStoppingSpec(2));
        var ran = new List<int>();
        Assert.Throws<OperationCanceledException>(() => EpochLoop.Run(5, first, i => { ran.Add(i); return losses[i]; },
            onFinished: i => { if (i == 1) throw new OperationCanceledException(); }));
        var second = new EarlyStopping(new EarlyStoppingSpec(2));
        second.Restore(first.BestEpoch, first.BestLoss, first.EpochsWithoutImprovement);
        var resumed = EpochLoop.Run(5, second, i => { ran.Add(i); return losses[i]; }, start: 2);

        Assert.Equal(whole, resumed);
        Assert.Equal(new EpochLoopResult(4, 1, true), resumed);
        Assert.Equal([0, 1, 2, 3], ran);
    }

    [Fact]
    public void Resume_point_round_trips_model_optimizer_best_weights_and_metrics()
    {
        torch.manual_seed(3);
        var input = torch.randn(8, 4);
        var target = torch.randn(8, 2);
        using var model = nn.Linear(4, 2);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        void Step(nn.Module<Tensor, Tensor> m, optim.Optimizer o)
        {
            o.zero_grad();
            nn.functional.mse_loss(m.forward(input), target).backward();
            o.step();
        }
        Step(model, optimizer);
        using var best = new WeightsSnapshot();
        best.Capture(model);
        Step(model, optimizer);
        ResumePoint.Write(_dir, new ResumeState(2, [1.5, 2.5], [0.1, 0.2], [0.9, 0.8], [0.7, double.NaN], 0, 0.7, 1, true), model, optimizer, best);
        ResumePoint.Write(_dir, new ResumeState(2, [1.5, 2.5], [0.1, 0.2], [0.9, 0.8], [0.7, double.NaN], 0, 0.7, 1, true), model, optimizer, best); // replaces
        Directory.CreateDirectory(_dir + ".tmp-1-abc"); // a killed writer's leftover

        var state = ResumePoint.TryRead(_dir);
        Assert.NotNull(state);
        Assert.False(Directory.Exists(_dir + ".tmp-1-abc"));
        Assert.Equal(2, state.EpochsDone);
        Assert.Equal([0.7, double.NaN], state.ValLogLoss);
        using var copy = nn.Linear(4, 2);
        using var copyBest = new WeightsSnapshot();
        ResumePoint.LoadModel(_dir, state, copy, copyBest);
        using var copyOptimizer = optim.Adam(copy.parameters(), lr: 0.01); // built last, as training does
        ResumePoint.LoadOptimizer(_dir, copyOptimizer);

        Assert.True(model.weight!.eq(copy.weight!).all().item<bool>(), "the model was restored");
        Step(model, optimizer);
        Step(copy, copyOptimizer);
        Assert.True(model.weight!.eq(copy.weight!).all().item<bool>(), $"{model.weight!.sub(copy.weight!).abs().max().item<float>()} the optimizer's moments were restored");
        best.Restore(model);
        copyBest.Restore(copy);
        Assert.True(model.weight!.eq(copy.weight!).all().item<bool>(), "the best weights were restored");
    }

    [Fact]
    public void No_or_incomplete_resume_point_reads_as_none()
    {
        Assert.Null(ResumePoint.TryRead(_dir));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "model.bin"), "");
        Assert.Null(ResumePoint.TryRead(_dir));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true); } catch (IOException) { }
    }
}
