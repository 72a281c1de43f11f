using Runner.Tests.Fixtures;
using Runner.Torch.Compute;
using TorchSharp;

namespace Runner.Tests.Torch.Compute;

/// <summary>The process-wide switches: cuDNN's autotuner through libtorch's export, and TF32 held per mode by the gate.</summary>
public sealed class ComputeSwitchTests
{
    public ComputeSwitchTests() => WeightsTestSupport.EnsureTorch();

    [Fact]
    public void Cudnn_autotuning_is_switched_through_libtorchs_context()
    {
        var before = CudnnAutotune.IsOn();
        try
        {
            CudnnAutotune.Set(true);
            Assert.True(CudnnAutotune.IsOn());
            CudnnAutotune.Set(false);
            Assert.False(CudnnAutotune.IsOn());
        }
        finally
        {
            CudnnAutotune.Set(before);
        }
    }

    [Fact]
    public async Task Tasks_in_one_tf32_mode_share_the_gate_and_the_other_mode_waits_until_they_leave()
    {
        var first = Tf32Gate.Enter(tf32: false);
        Assert.False(torch.backends.cuda.matmul.allow_tf32);
        Assert.False(torch.backends.cudnn.allow_tf32);
        var second = Tf32Gate.Enter(tf32: false); // same mode: no wait

        var entered = new ManualResetEventSlim();
        var other = Task.Run(() =>
        {
            using var _ = Tf32Gate.Enter(tf32: true);
            entered.Set();
            Assert.True(torch.backends.cuda.matmul.allow_tf32);
            Assert.True(torch.backends.cudnn.allow_tf32);
        });
        first.Dispose();
        Assert.False(entered.Wait(500), "a tf32 task started while an fp32 one held the gate");
        Assert.False(torch.backends.cudnn.allow_tf32);
        second.Dispose();

        Assert.True(entered.Wait(5000), "the tf32 task never got the gate");
        await other;
    }
}
