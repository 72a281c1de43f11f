using Runner.Core.Execution;
using Runner.Torch.Devices;

namespace Runner.Tests.Torch.Devices;

/// <summary>--devices: all visible GPUs by default, a chosen list otherwise, one clear message for anything else.</summary>
public sealed class DeviceSelectionTests
{
    [Fact]
    public void All_is_every_visible_gpu_and_on_the_cpu_the_one_cpu_slot()
    {
        Assert.Equal([0, 1, 2, 3], DeviceSelection.Parse("all", 4));
        Assert.Equal([0], DeviceSelection.Parse("all", 0));
    }

    [Fact]
    public void A_list_keeps_its_order()
    {
        Assert.Equal([0, 2, 3], DeviceSelection.Parse("0,2,3", 4));
        Assert.Equal([3, 1], DeviceSelection.Parse("3, 1", 4));
    }

    [Theory]
    [InlineData("0,4", 4, "--devices 0,4: GPU 4 does not exist; this machine shows 4 (0 to 3)")]
    [InlineData("1,1", 4, "--devices 1,1: GPU 1 is listed twice")]
    [InlineData("gpu0", 4, "--devices 'gpu0': expected 'all' or GPU indices such as 0,2,3")]
    [InlineData("-1", 4, "--devices '-1': expected 'all' or GPU indices such as 0,2,3")]
    [InlineData("0", 0, "--devices 0: there is no CUDA device to choose from")]
    public void Anything_else_is_bad_input_naming_the_option(string spec, int available, string message) =>
        Assert.StartsWith(message, Assert.Throws<InvalidInputException>(() => DeviceSelection.Parse(spec, available)).Message);
}
