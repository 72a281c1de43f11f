using Runner.Torch;

namespace Runner.Tests.Torch;

public sealed class NnpackSwitchTests
{
    [Fact]
    public void Starting_the_runtime_turns_libtorchs_nnpack_convolutions_off()
    {
        TorchRuntime.Start("cpu");
        Assert.False(NnpackSwitch.IsOn(), "libtorch still offers NNPACK convolutions after TorchRuntime.Start");
    }
}
