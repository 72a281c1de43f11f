using System.Runtime.InteropServices;
using TorchSharp;
using Runner.Torch.Timing;
using Runner.Torch.Training;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Training;

/// <summary>What keeps a GPU run honest, checked on the CPU: losses read per interval and checked, epochs retried from their start, GPU facts read right.</summary>
public sealed class EpochSafetyTests
{
    [Fact]
    public void Step_losses_are_read_once_per_interval_and_the_first_non_finite_one_is_named_by_epoch_and_batch()
    {
        using var losses = new StepLosses(epoch: 2, batchesPerEpoch: 20);
        for (var batch = 0; batch < StepLosses.Interval - 1; batch++) losses.Add(batch, 4, torch.tensor(0.5f));
        Assert.Equal(0, losses.Seen); // still on the device

        losses.Add(StepLosses.Interval - 1, 2, torch.tensor(0.25f));
        Assert.Equal((StepLosses.Interval - 1) * 4 + 2, losses.Seen);
        Assert.Equal((StepLosses.Interval - 1) * 2.0 + 0.5, losses.Sum, 1e-9);

        losses.Add(10, 4, torch.tensor(0.5f));
        losses.Add(11, 4, torch.tensor(float.NaN));
        losses.Add(12, 4, torch.tensor(float.PositiveInfinity));
        var e = Assert.Throws<TrainingDivergedException>(losses.Read);
        Assert.Equal("training diverged: the loss is NaN at epoch 3, batch 12 of 20; lower the learning rate or set grad_clip", e.Message);
    }

    [Fact]
    public void A_model_with_a_nan_weight_is_found()
    {
        using var model = nn.Sequential(("first", nn.Linear(3, 3)), ("second", nn.Linear(3, 1)));
        Assert.Null(StepLosses.FirstNonFinite(model));
        using (torch.no_grad()) model.named_parameters().Single(p => p.name == "second.bias").parameter.fill_(float.NaN);
        Assert.Equal("second.bias", StepLosses.FirstNonFinite(model));
    }

    [Fact]
    public void An_epoch_retried_after_running_out_of_memory_in_validation_starts_again_from_its_weights_and_optimizer_state()
    {
        var input = torch.randn(8, 4, generator: new Generator(5));
        var target = torch.randn(8, 2, generator: new Generator(6));
        void Steps(nn.Module<Tensor, Tensor> m, optim.Optimizer o, int n)
        {
            for (var i = 0; i < n; i++)
            {
                o.zero_grad();
                nn.functional.mse_loss(m.forward(input), target).backward();
                o.step();
            }
        }
        (nn.Module<Tensor, Tensor> Model, optim.Optimizer Optimizer) Fresh()
        {
            var m = nn.Linear(4, 2);
            using (torch.no_grad()) // not torch's global generator: tests running alongside draw from it
                foreach (var p in m.parameters()) p.copy_(torch.randn(p.shape, generator: new Generator(3)));
            var o = optim.Adam(m.parameters(), lr: 0.01);
            Steps(m, o, 2); // an earlier epoch: the optimizer has moments and a step count
            return (m, o);
        }
        var (expected, expectedOptimizer) = Fresh();
        Steps(expected, expectedOptimizer, 3);

        var (model, optimizer) = Fresh();
        using var start = new EpochStart();
        start.Capture(model, optimizer);
        var attempts = new List<int>();
        var retry = new OutOfMemoryRetry(8, cuda: true);
        var records = retry.Run(batchSize =>
        {
            attempts.Add(batchSize);
            Steps(model, optimizer, 3);
            if (attempts.Count == 1) throw new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB"); // in validation, after training
            return 1;
        }, rewind: () => start.Restore(model, optimizer));

        Assert.Equal([8, 4], attempts);
        Assert.Equal(1, records);
        Assert.True(expected.parameters().Zip(model.parameters()).All(p => p.First.eq(p.Second).all().item<bool>()), "weights as after one clean epoch");
        Steps(expected, expectedOptimizer, 1);
        Steps(model, optimizer, 1);
        Assert.True(expected.parameters().Zip(model.parameters()).All(p => p.First.eq(p.Second).all().item<bool>()), "Adam's moments and step count were restored too");
    }

    [Theory]
    [InlineData(12010, "12.1")]
    [InlineData(11080, "11.8")]
    [InlineData(12040, "12.4")]
    public void Cuda_runtime_versions_read_as_major_minor(int version, string text) => Assert.Equal(text, GpuFacts.CudaVersionText(version));

    [Theory]
    [InlineData(90100, "9.1.0")]
    [InlineData(90300, "9.3.0")]
    [InlineData(8902, "8.9.2")]
    public void Cudnn_versions_read_as_major_minor_patch_before_and_since_cudnn_9(long version, string text) =>
        Assert.Equal(text, GpuFacts.CudnnVersionText(version));

    [Fact]
    public void Gpu_memory_is_read_for_this_process_on_the_tasks_gpu_matching_nvidia_smis_bus_ids_to_cudas()
    {
        const string listing = "4242, 1200, 00000000:01:00.0\n777, 9000, 00000000:41:00.0\n4242, 3400, 00000000:41:00.0";
        Assert.Equal(3400, GpuFacts.ProcessMemoryMb(listing, 4242, "0000:41:00.0"));
        Assert.Equal(1200, GpuFacts.ProcessMemoryMb(listing, 4242, "0000:01:00.0"));
        Assert.Equal(1200, GpuFacts.ProcessMemoryMb(listing, 4242, bus: null)); // bus id unknown: the process's first GPU
        Assert.Null(GpuFacts.ProcessMemoryMb(listing, 4242, "0000:81:00.0"));
        Assert.Null(GpuFacts.ProcessMemoryMb(null, 4242, null));
        Assert.True(GpuFacts.SameBus("00000000:1A:00.0", "0000:1a:00.0"));
        Assert.False(GpuFacts.SameBus("00000000:1A:00.0", "0000:1b:00.0"));
        Assert.False(GpuFacts.SameBus("garbage", "0000:1b:00.0"));
    }
}
