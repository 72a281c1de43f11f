using Runner.Tests.Fixtures;
using Runner.Torch.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Tests.Torch.Compute;

/// <summary>libtorch's autocast through its exported functions, on the CPU (bfloat16), where it behaves as on CUDA.</summary>
public sealed class AutocastTests
{
    public AutocastTests() => WeightsTestSupport.EnsureTorch();

    [Fact]
    public void Inside_a_scope_a_linear_layer_computes_in_the_scopes_type_and_leaving_restores_float32()
    {
        using var linear = nn.Linear(4, 3);
        using var x = torch.ones(2, 4);

        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            using var inside = linear.forward(x);
            Assert.Equal(ScalarType.BFloat16, inside.dtype);
        }
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        using var outside = linear.forward(x);
        Assert.Equal(ScalarType.Float32, outside.dtype);
    }

    [Fact]
    public void The_state_belongs_to_the_thread_that_entered_the_scope()
    {
        using var scope = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
        var elsewhere = true;
        var thread = new Thread(() => elsewhere = Autocast.IsEnabled(DeviceType.CPU));
        thread.Start();
        thread.Join();

        Assert.True(Autocast.IsEnabled(DeviceType.CPU));
        Assert.False(elsewhere);
    }

    [Fact]
    public void Leaving_the_scope_clears_the_cache_of_cast_weights_so_the_next_step_sees_the_updated_weights()
    {
        // A convolution: autocast caches casts of leaf weights (TorchSharp's linear passes a transposed view, which it does not cache).
        using var conv = nn.Conv2d(4, 1, 1, bias: false);
        using (torch.no_grad()) conv.weight!.fill_(1);
        using var x = torch.ones(1, 4, 1, 1);
        float Forward()
        {
            using var y = conv.forward(x);
            return y.to_type(ScalarType.Float32).sum().item<float>();
        }

        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.Equal(4f, Forward());
            using (torch.no_grad()) conv.weight!.fill_(2); // an optimizer step, in place
            Assert.Equal(4f, Forward()); // the scope still uses its cast copy
        }
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
            Assert.Equal(8f, Forward());
    }
}
